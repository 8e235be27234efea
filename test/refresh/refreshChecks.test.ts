import type { Request } from 'express';
import type { OAuthRefreshRequest } from '@backstage/plugin-auth-backend';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RefreshCookie } from '../../src/refreshSession/RefreshCookie';
import {
  APP_URL,
  AUTH_BASE_URL,
  CLIENT_SECRET,
  NOW_MS,
  failure,
  startLegacyHandlersOnLocalIssuer,
  type LegacyHandlersOnLocalIssuer,
} from '../support/legacyHandlersOnLocalIssuer';
import { registerSecret } from '../support/secrets';

/*
 * /refresh with a real refresh token, through the legacy `SpectroCloudAuthHandlers` over
 * `createSignInService` on a frozen clock against a local issuer (support/legacyHandlersOnLocalIssuer.ts):
 * the refreshed ID token must name the same subject, and a session sealed for another environment is
 * refused before the issuer is called.
 */
let unit: LegacyHandlersOnLocalIssuer;
beforeAll(async () => {
  unit = await startLegacyHandlersOnLocalIssuer();
});
afterAll(() => unit?.close());

/** The request the OAuthAdapter hands to refresh(): its cookies, and the first piece of ours. */
function refreshRequest(first: string): OAuthRefreshRequest {
  return { cookies: {}, refreshToken: first, scope: '', get: () => undefined } as unknown as OAuthRefreshRequest;
}

describe('refresh with a real refresh token', () => {
  const cookie = (environment = 'development') =>
    new RefreshCookie({
      providerId: 'spectrocloud',
      environment,
      clientSecret: CLIENT_SECRET,
      appUrl: APP_URL,
      authBaseUrl: AUTH_BASE_URL,
      callbackUrl: unit.config.callbackUrl,
    });

  function sealedSessionOf(sub: string) {
    const refreshToken = `refresh-token-of-${sub}-0123456789`;
    registerSecret(refreshToken);
    return cookie().write({ cookies: {} } as Request, { kind: 'refresh-token', sessionId: `session-of-${sub}`, signedInAt: NOW_MS, refreshToken, idToken: unit.idToken(sub) }, APP_URL);
  }

  it('serves the refreshed ID token when it names the same subject (control)', async () => {
    const refreshed = unit.idToken('alice');
    unit.issuer.answerTokenRequests(() => ({ body: { access_token: 'access-token-alice-0123', token_type: 'Bearer', id_token: refreshed } }));
    const result = await unit.handlers.refresh(refreshRequest(sealedSessionOf('alice')));
    expect(result.response.providerInfo.idToken).toBe(refreshed);
    expect(unit.issuer.tokenRequests.at(-1)?.get('grant_type')).toBe('refresh_token');
  });

  it('refuses a refreshed ID token naming another subject with ERR_SESSION_SUBJECT_CHANGED', async () => {
    unit.issuer.answerTokenRequests(() => ({ body: { access_token: 'access-token-mallory-0123', token_type: 'Bearer', id_token: unit.idToken('mallory') } }));
    const error = await failure(unit.handlers.refresh(refreshRequest(sealedSessionOf('alice'))));
    expect(error).toMatchObject({ code: 'ERR_SESSION_SUBJECT_CHANGED', statusCode: 401 });
  });

  it('refuses a session sealed for another environment with ERR_SESSION_INVALID, without calling the issuer', async () => {
    const before = unit.issuer.tokenRequests.length;
    const first = cookie('production').write({ cookies: {} } as Request, { kind: 'refresh-token', sessionId: 'unit-session', signedInAt: NOW_MS, refreshToken: 'refresh-token-prod-0123456789', idToken: unit.idToken('alice') }, APP_URL);
    const error = await failure(unit.handlers.refresh(refreshRequest(first)));
    expect(error.code).toBe('ERR_SESSION_INVALID');
    expect(unit.issuer.tokenRequests.length).toBe(before);
  });
});
