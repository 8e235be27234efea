import type { Request } from 'express';
import { encodeState, type OAuthRefreshRequest, type OAuthStartRequest } from '@backstage/plugin-auth-backend';
import type { AuthResolverContext } from '@backstage/plugin-auth-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigReader } from '@backstage/config';
import { readEnvironmentConfig, type SpectroCloudEnvironmentConfig } from '../../src/config/readEnvironmentConfig';
import { SpectroCloudAuthError } from '../../src/errors';
import { createSignInService } from '../../src/composition/createSignInService';
import { SpectroCloudAuthHandlers } from '../../src/legacy/SpectroCloudAuthHandlers';
import { RefreshCookie } from '../../src/refreshSession/RefreshCookie';
import { startLocalIssuer, type LocalIssuer } from '../support/localIssuer';
import { createTestLogger } from '../support/logger';
import { registerSecret } from '../support/secrets';

/*
 * SpectroCloudAuthHandlers driven directly, on a frozen clock, against a
 * local issuer on loopback (real RS256 keys, a real token endpoint the test
 * controls). No resolver or auth handler is configured, so the resolver
 * context is never consulted.
 */
const CLIENT_ID = 'unit-client';
const CLIENT_SECRET = 'unit-client-secret-9d2f61a8c4';
registerSecret(CLIENT_SECRET);
const APP_URL = 'https://backstage.example.com';
const AUTH_BASE_URL = 'https://backstage.example.com/api/auth';
const NOW_MS = Date.UTC(2026, 10, 30, 12, 0, 0);
const NOW = NOW_MS / 1000;

let issuer: LocalIssuer;
let handlers: SpectroCloudAuthHandlers;
const logLines: string[] = [];

function config(): SpectroCloudEnvironmentConfig {
  return readEnvironmentConfig(
    new ConfigReader({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      authorizationUrl: `${issuer.issuer}/auth`,
      issuer: issuer.issuer,
      tokenUrl: issuer.tokenUrl,
      jwksUrl: issuer.jwksUrl,
      clockTolerance: 0,
      timeout: 5000,
    }),
    { path: 'auth.providers.spectrocloud.development', authBaseUrl: AUTH_BASE_URL, providerId: 'spectrocloud' },
  );
}

function idToken(sub: string) {
  return issuer.sign({ iss: issuer.issuer, aud: CLIENT_ID, sub, email: `${sub}@example.com`, iat: NOW - 60, exp: NOW + 600 });
}

async function failure(promise: Promise<unknown>): Promise<SpectroCloudAuthError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SpectroCloudAuthError);
  return error as SpectroCloudAuthError;
}

/** The request the OAuthAdapter hands to refresh(): its cookies, and the first piece of ours. */
function refreshRequest(first: string): OAuthRefreshRequest {
  return { cookies: {}, refreshToken: first, scope: '', get: () => undefined } as unknown as OAuthRefreshRequest;
}

beforeAll(async () => {
  issuer = await startLocalIssuer();
  handlers = new SpectroCloudAuthHandlers({
    service: createSignInService({
      providerId: 'spectrocloud',
      environment: 'development',
      config: config(),
      appUrl: APP_URL,
      authBaseUrl: AUTH_BASE_URL,
      logger: createTestLogger(logLines),
      clock: () => NOW_MS,
    }),
    resolverContext: {} as AuthResolverContext,
  });
});
afterAll(() => issuer?.close());

describe('redirect checks', () => {
  const state = (redirectUrl: string) => ({ nonce: 'adapter-nonce-1234567890', env: 'development', flow: 'redirect', redirectUrl });

  it.each(['https://evil.example.net/steal', 'https://backstage.example.com.evil.net/', 'https://backstage.example.com@evil.net/'])(
    '/start refuses redirectUrl %s with ERR_REDIRECT_NOT_ALLOWED',
    async redirectUrl => {
      const req = { state: state(redirectUrl), scope: '', query: {} } as unknown as OAuthStartRequest;
      const error = await failure(handlers.start(req));
      expect(error).toMatchObject({ code: 'ERR_REDIRECT_NOT_ALLOWED', statusCode: 403 });
    },
  );

  it.each(['https://evil.example.net/steal', 'https://backstage.example.com.evil.net/'])(
    'the callback refuses a state whose redirectUrl is %s, before exchanging the code',
    async redirectUrl => {
      const before = issuer.tokenRequests.length;
      const req = {
        query: { code: 'authorization-code-0123456789', state: encodeState(state(redirectUrl) as never) },
        // A valid browser binding, so only the redirect check can stop this request.
        cookies: { 'spectrocloud-nonce': 'adapter-nonce-1234567890' },
      } as unknown as Request;
      const error = await failure(handlers.handler(req));
      expect(error.code).toBe('ERR_REDIRECT_NOT_ALLOWED');
      expect(issuer.tokenRequests.length).toBe(before);
    },
  );
});

describe('refresh with a real refresh token', () => {
  const cookie = (environment = 'development') =>
    new RefreshCookie({
      providerId: 'spectrocloud',
      environment,
      clientSecret: CLIENT_SECRET,
      appUrl: APP_URL,
      authBaseUrl: AUTH_BASE_URL,
      callbackUrl: config().callbackUrl,
    });

  function sealedSessionOf(sub: string) {
    const refreshToken = `refresh-token-of-${sub}-0123456789`;
    registerSecret(refreshToken);
    return cookie().write({ cookies: {} } as Request, { kind: 'refresh-token', sessionId: `session-of-${sub}`, signedInAt: NOW_MS, refreshToken, idToken: idToken(sub) }, APP_URL);
  }

  it('serves the refreshed ID token when it names the same subject (control)', async () => {
    const refreshed = idToken('alice');
    issuer.answerTokenRequests(() => ({ body: { access_token: 'access-token-alice-0123', token_type: 'Bearer', id_token: refreshed } }));
    const result = await handlers.refresh(refreshRequest(sealedSessionOf('alice')));
    expect(result.response.providerInfo.idToken).toBe(refreshed);
    expect(issuer.tokenRequests.at(-1)?.get('grant_type')).toBe('refresh_token');
  });

  it('refuses a refreshed ID token naming another subject with ERR_SESSION_SUBJECT_CHANGED', async () => {
    issuer.answerTokenRequests(() => ({ body: { access_token: 'access-token-mallory-0123', token_type: 'Bearer', id_token: idToken('mallory') } }));
    const error = await failure(handlers.refresh(refreshRequest(sealedSessionOf('alice'))));
    expect(error).toMatchObject({ code: 'ERR_SESSION_SUBJECT_CHANGED', statusCode: 401 });
  });

  it('refuses a session sealed for another environment with ERR_SESSION_INVALID, without calling the issuer', async () => {
    const before = issuer.tokenRequests.length;
    const first = cookie('production').write({ cookies: {} } as Request, { kind: 'refresh-token', sessionId: 'unit-session', signedInAt: NOW_MS, refreshToken: 'refresh-token-prod-0123456789', idToken: idToken('alice') }, APP_URL);
    const error = await failure(handlers.refresh(refreshRequest(first)));
    expect(error.code).toBe('ERR_SESSION_INVALID');
    expect(issuer.tokenRequests.length).toBe(before);
  });
});
