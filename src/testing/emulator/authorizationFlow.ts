import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import type { AuthorizationRequest } from './authorizationRequest';
import { renderConsentPage } from './consentPage';
import { renderLoginPage } from './loginPage';
import { authorizationResponse, redirectError } from './redirects';
import type { BrowserSession } from './sessions';
import type { EmulatorState } from './state';
import type { DirectoryUser } from './users';

/** A user and when they authenticated: what an approval needs. */
interface Authenticated {
  user: DirectoryUser;
  session: BrowserSession;
}

/**
 * Decides what a checked authorization request leads to, like a tenant would:
 * silent SSO, the account list, the consent page, or an error redirect.
 */
export function continueAuthorization(req: Request, res: Response, state: EmulatorState, request: AuthorizationRequest): void {
  const sso = usableSession(req, state, request);
  // prompt=none forbids any UI, so even automation cannot "log in" here.
  if (request.prompts.includes('none')) {
    if (sso) return approve(res, state, request, sso.user, sso.session);
    return redirectError(res, state, request, 'login_required', 'no usable SpectroCloud session: the user must sign in');
  }
  const hinted = state.users.find(request.loginHint);
  if (hinted && request.auto) return afterLogin(res, state, request, hinted);
  // A hint naming someone else than the signed-in user is an account switch.
  const otherUserHinted = hinted && sso && hinted.email !== sso.user.email;
  if (!sso || otherUserHinted || request.prompts.includes('login') || request.prompts.includes('select_account')) {
    return showLogin(res, state, request);
  }
  if (request.prompts.includes('consent')) return showConsent(res, state, request, sso.user, sso.session);
  approve(res, state, request, sso.user, sso.session);
}

/** After the user picked an account at the login page (or automation did): a fresh authentication. */
export function afterLogin(res: Response, state: EmulatorState, request: AuthorizationRequest, user: DirectoryUser): void {
  const session = state.sessions.start(res, user.email);
  if (request.prompts.includes('consent')) return showConsent(res, state, request, user, session);
  approve(res, state, request, user, session);
}

export function approve(res: Response, state: EmulatorState, request: AuthorizationRequest, user: DirectoryUser, session: BrowserSession): void {
  const code = state.codes.issue(
    {
      clientId: request.clientId,
      redirectUri: request.redirectUri,
      email: user.email,
      scope: request.scope,
      nonce: request.nonce,
      codeChallenge: request.codeChallenge,
      authTime: session.authTime,
      acr: request.acr,
    },
    user,
  );
  state.options.logger.info(`authorize: approved a sign-in for client "${request.clientId}"`);
  authorizationResponse(res, state, request, { code });
}

export function deny(res: Response, state: EmulatorState, request: AuthorizationRequest): void {
  redirectError(res, state, request, 'access_denied', 'The user denied the request');
}

/** The browser's session, unless it is missing, names a removed user, or is older than `max_age` allows. */
function usableSession(req: Request, state: EmulatorState, request: AuthorizationRequest): Authenticated | undefined {
  const session = state.sessions.current(req);
  const user = state.users.find(session?.email);
  if (!session || !user) return undefined;
  const ageSeconds = Math.floor(state.options.clock() / 1000) - session.authTime;
  // max_age=0 means "authenticate now", whatever the session's age.
  if (request.maxAge !== undefined && (request.maxAge === 0 || ageSeconds > request.maxAge)) return undefined;
  return { user, session };
}

function showLogin(res: Response, state: EmulatorState, request: AuthorizationRequest): void {
  const id = newInteraction(state, request);
  const page = renderLoginPage({
    tenantId: state.options.tenantId,
    clientId: request.clientId,
    action: `${state.urls.issuer}/interaction/${id}/login`,
    users: state.users.list(),
    hintedEmail: state.users.find(request.loginHint)?.email,
  });
  res.set('Cache-Control', 'no-store').type('html').send(page);
}

function showConsent(res: Response, state: EmulatorState, request: AuthorizationRequest, user: DirectoryUser, session: BrowserSession): void {
  const id = newInteraction(state, request, session);
  const page = renderConsentPage({
    clientId: request.clientId,
    userName: user.name,
    scope: request.scope,
    action: `${state.urls.issuer}/interaction/${id}/consent`,
  });
  res.set('Cache-Control', 'no-store').type('html').send(page);
}

function newInteraction(state: EmulatorState, request: AuthorizationRequest, session?: BrowserSession): string {
  const id = randomBytes(16).toString('base64url');
  state.interactions.set(id, { request, session });
  return id;
}
