import type { Request } from 'express';
import { SpectroCloudRequestError } from '../errors';
import type { EnvironmentParts } from '../environment/createEnvironmentParts';
import { runStrategy } from '../strategy/runStrategy';
import { assertRedirectAllowed, type RedirectState } from './assertRedirectAllowed';
import { readLoginHint } from './readLoginHint';

export interface StartSignInInput {
  req: Request;
  /** the random value the backend put in the `<providerId>-nonce` cookie and the state */
  cookieNonce: string;
  /** the state as the backend encoded it for the callback */
  encodedState: string;
  state: RedirectState;
  /** scopes the app asked for, added to the configured ones */
  requestedScope?: string;
  /** origins besides the app's that the redirect flow may return to */
  isOriginAllowed?: (origin: string) => boolean;
}

/**
 * The authorization URL of a sign-in: the configured scope and parameters,
 * a nonce and a PKCE challenge bound to this browser's nonce cookie.
 */
export async function startSignIn(parts: EnvironmentParts, input: StartSignInInput): Promise<{ url: string; status: number }> {
  const { config } = parts;
  assertRedirectAllowed(input.state, parts.appUrl, input.isOriginAllowed);
  const loginHint = readLoginHint(input.req.query as Record<string, unknown>);
  const bound = parts.binding.forStart(input.cookieNonce, input.req);
  const { tokenUrl } = await parts.endpoints.resolve();
  const outcome = await runStrategy(
    parts.strategyFor(tokenUrl),
    input.req,
    {
      state: input.encodedState,
      scope: mergeScopes(config.scope, input.requestedScope),
      nonce: bound.nonce,
      codeChallenge: bound.codeChallenge,
      extraParams: { ...config.startUrlSearchParams, ...(loginHint ? { login_hint: loginHint } : {}) },
    },
    strategyBackstopMs(config.timeout),
  );
  if (outcome.kind !== 'redirect') throw new SpectroCloudRequestError('ERR_AUTHORIZE_URL', 'Could not build the SpectroCloud sign-in URL');
  return { url: outcome.url, status: outcome.status };
}

/**
 * Each request to SpectroCloud ends at its own deadline (OutboundClient) with
 * an error naming the endpoint; a code exchange makes at most two (token,
 * JWKS), so the whole run's timer is only a backstop behind them.
 */
export function strategyBackstopMs(requestTimeoutMs: number): number {
  return 2 * requestTimeoutMs + 1_000;
}

// `configured` is already de-duplicated (readEnvironmentConfig): most sign-ins ask for nothing more.
function mergeScopes(configured: string, requested: string | undefined): string {
  if (!requested?.trim()) return configured;
  return [...new Set([...configured.split(' '), ...requested.split(/[\s,]+/)].filter(Boolean))].join(' ');
}
