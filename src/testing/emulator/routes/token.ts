import type { RequestHandler, Response } from 'express';
import { authenticateClient } from '../clientAuth';
import { issueTokens } from '../issueTokens';
import { OAuthError, sendOAuthError } from '../oauthError';
import { paddedJson } from '../paddedJson';
import { redeemCode } from '../redeemCode';
import type { EmulatorState } from '../state';
import type { EmulatorClient } from '../types';

/** The token endpoint: authorization_code, and refresh_token only with the `refreshTokenGrant` option (Palette has none). */
export function tokenRoute(state: EmulatorState): RequestHandler {
  return async (req, res, next) => {
    state.stats.tokenRequests++;
    // Held until the fault is cleared; nothing to answer when the client gave up meanwhile.
    if (state.faults.tokenStall && !(await state.stalledTokenRequests.hold(res))) return;
    if (state.faults.tokenDelayMs) await delay(state.faults.tokenDelayMs);
    try {
      if (state.faults.tokenStatus) throw faultError(state.faults.tokenStatus);
      const client = authenticateClient(req, state.options.clients);
      if (req.headers.authorization) state.stats.basicAuthTokenRequests++;
      const body = req.body ?? {};
      if (body.grant_type === 'refresh_token' && state.options.refreshTokenGrant) {
        const { grant, user } = redeemRefreshToken(state, client, body);
        return sendTokens(res, state, issueTokens(state, grant, user, 'refresh_token'));
      }
      if (body.grant_type === 'refresh_token') {
        // The refresh_token Palette hands out is its Palette token; it cannot be exchanged.
        throw new OAuthError(400, 'invalid_grant', 'the refresh_token grant is not supported');
      }
      if (body.grant_type !== 'authorization_code') throw new OAuthError(400, 'unsupported_grant_type', 'only authorization_code is supported');
      const { grant, user } = redeemCode(state, client, body);
      state.options.logger.info(`token: issued tokens to client "${client.clientId}"`);
      sendTokens(res, state, issueTokens(state, grant, user));
    } catch (err) {
      if (!(err instanceof OAuthError)) return next(err);
      state.options.logger.info(`token: refused (${err.error})`);
      sendOAuthError(res, err);
    }
  };
}

function sendTokens(res: Response, state: EmulatorState, tokens: object): void {
  res
    .set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' })
    .type('json')
    .send(paddedJson({ ...tokens }, state.faults.tokenBodyBytes));
}

/** The refresh_token grant's checks: a token this emulator issued, to this client, for a user who still exists. */
function redeemRefreshToken(state: EmulatorState, client: EmulatorClient, body: Record<string, unknown>) {
  const grant = typeof body.refresh_token === 'string' ? state.refreshTokens.get(body.refresh_token) : undefined;
  if (!grant || grant.clientId !== client.clientId) throw new OAuthError(400, 'invalid_grant', 'the refresh token is invalid, expired or for another client');
  const user = state.users.find(grant.email);
  if (!user) throw new OAuthError(400, 'invalid_grant', 'the user no longer exists');
  return { grant, user };
}

function faultError(status: number): OAuthError {
  const error = status === 503 ? 'temporarily_unavailable' : status >= 500 ? 'server_error' : status === 401 ? 'invalid_client' : 'invalid_request';
  return new OAuthError(status, error, 'injected by the emulator (tokenStatus fault)');
}

// Unref'd: a pending fault delay must not keep a test process alive.
function delay(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms).unref());
}
