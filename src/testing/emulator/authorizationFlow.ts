import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import type { AuthorizationRequest } from './authorizationRequest';
import { renderConsentPage } from './consentPage';
import { renderLoginPage } from './loginPage';
import { redirectBack, redirectError } from './redirects';
import type { EmulatorState } from './state';
import type { DirectoryUser } from './users';

/**
 * Decides what a checked authorization request leads to, like a tenant would:
 * silent SSO, the account list, the consent page, or an error redirect.
 */
export function continueAuthorization(req: Request, res: Response, state: EmulatorState, request: AuthorizationRequest): void {
  const sessionUser = state.users.find(state.sessions.email(req));
  // prompt=none forbids any UI, so even automation cannot "log in" here.
  if (request.prompts.includes('none')) {
    if (sessionUser) return approve(res, state, request, sessionUser);
    return redirectError(res, request, 'login_required', 'no SpectroCloud session: the user must sign in');
  }
  const hinted = request.auto ? state.users.find(request.loginHint) : undefined;
  if (hinted) {
    state.sessions.start(res, hinted.email);
    return approve(res, state, request, hinted);
  }
  if (!sessionUser || request.prompts.includes('login') || request.prompts.includes('select_account')) {
    return showLogin(res, state, request);
  }
  if (request.prompts.includes('consent')) return showConsent(res, state, request, sessionUser);
  approve(res, state, request, sessionUser);
}

/** After the user picked an account at the login page. */
export function afterLogin(res: Response, state: EmulatorState, request: AuthorizationRequest, user: DirectoryUser): void {
  state.sessions.start(res, user.email);
  if (request.prompts.includes('consent')) return showConsent(res, state, request, user);
  approve(res, state, request, user);
}

export function approve(res: Response, state: EmulatorState, request: AuthorizationRequest, user: DirectoryUser): void {
  const code = state.codes.issue(
    {
      clientId: request.clientId,
      redirectUri: request.redirectUri,
      email: user.email,
      scope: request.scope,
      nonce: request.nonce,
      codeChallenge: request.codeChallenge,
    },
    user,
  );
  state.options.logger.info(`authorize: approved a sign-in for client "${request.clientId}"`);
  redirectBack(res, request, { code });
}

export function deny(res: Response, request: AuthorizationRequest): void {
  redirectError(res, request, 'access_denied', 'The user denied the request');
}

function showLogin(res: Response, state: EmulatorState, request: AuthorizationRequest): void {
  const id = newInteraction(state, request);
  const page = renderLoginPage({
    tenantId: state.options.tenantId,
    clientId: request.clientId,
    action: `${state.urls.issuer}/interaction/${id}/login`,
    users: state.users.list(),
  });
  res.set('Cache-Control', 'no-store').type('html').send(page);
}

function showConsent(res: Response, state: EmulatorState, request: AuthorizationRequest, user: DirectoryUser): void {
  const id = newInteraction(state, request, user.email);
  const page = renderConsentPage({
    clientId: request.clientId,
    userName: user.name,
    scope: request.scope,
    action: `${state.urls.issuer}/interaction/${id}/consent`,
  });
  res.set('Cache-Control', 'no-store').type('html').send(page);
}

function newInteraction(state: EmulatorState, request: AuthorizationRequest, email?: string): string {
  const id = randomBytes(16).toString('base64url');
  state.interactions.set(id, { request, email });
  return id;
}
