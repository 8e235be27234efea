import type { Request } from 'express';
import { generateKeyPairSync } from 'node:crypto';
import { encodeState } from '@backstage/plugin-auth-backend';
import type { AuthResolverContext } from '@backstage/plugin-auth-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSignInServiceDeps } from '../../src/composition/createSignInService';
import { SpectroCloudAuthError } from '../../src/errors';
import { SpectroCloudAuthHandlers } from '../../src/legacy/SpectroCloudAuthHandlers';
import { BrowserBinding } from '../../src/signInService/BrowserBinding';
import { SignInService } from '../../src/signInService/SignInService';
import { readLocalIssuerEnvironment } from '../support/legacyHandlersOnLocalIssuer';
import { startLocalIssuer, type LocalIssuer } from '../support/localIssuer';
import { createTestLogger } from '../support/logger';
import { registerSecret } from '../support/secrets';

/*
 * The sign-in service's own order of checks, on a frozen clock against a
 * local issuer on loopback (real RS256 keys, a real token endpoint):
 * `complete` verifies the exchanged ID token before anything reads it, and
 * `refresh` verifies the ID token of a refresh grant once per grant, while a
 * refresh that shares another's grant verifies the shared result itself.
 */
const CLIENT_ID = 'service-client';
const CLIENT_SECRET = 'service-client-secret-5b81c0e2f7';
registerSecret(CLIENT_SECRET);
// Plain http: no `__Host-` cookie, so the nonce cookie alone binds the callback.
const APP_URL = 'http://localhost:3000';
const AUTH_BASE_URL = 'http://localhost:7007/api/auth';
const NOW_MS = Date.UTC(2026, 10, 30, 12, 0, 0);
const NOW = NOW_MS / 1000;
const COOKIE_NONCE = 'adapter-nonce-service-0123456789';

let issuer: LocalIssuer;
const logLines: string[] = [];

function deps() {
  const config = readLocalIssuerEnvironment(issuer, { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, authBaseUrl: AUTH_BASE_URL }, { refreshGrantInterval: 0 });
  return createSignInServiceDeps({
    providerId: 'spectrocloud',
    environment: 'development',
    config,
    appUrl: APP_URL,
    authBaseUrl: AUTH_BASE_URL,
    logger: createTestLogger(logLines),
    clock: () => NOW_MS,
    warmDiscovery: false,
  });
}

/** The service with its real verifier, counting the ID tokens it is asked to verify. */
function countingService() {
  const parts = deps();
  const verified: string[] = [];
  const service = new SignInService({
    ...parts,
    verifier: {
      verify: (idToken, expected) => {
        verified.push(String(idToken));
        return parts.verifier.verify(idToken, expected);
      },
    },
  });
  return { service, parts, verified };
}

const boundNonce = new BrowserBinding(CLIENT_SECRET, 'spectrocloud').forCallback({ cookies: { 'spectrocloud-nonce': COOKIE_NONCE } } as unknown as Request).nonce;

function idToken(sub: string, extra: Record<string, unknown> = {}, key?: Parameters<LocalIssuer['sign']>[1]) {
  return issuer.sign({ iss: issuer.issuer, aud: CLIENT_ID, sub, email: `${sub}@example.com`, iat: NOW - 60, exp: NOW + 600, ...extra }, key);
}

function callbackRequest(): Request {
  return {
    query: { code: 'authorization-code-service-0123456789', state: encodeState({ nonce: COOKIE_NONCE, env: 'development' } as never) },
    cookies: { 'spectrocloud-nonce': COOKIE_NONCE },
    get: () => undefined,
  } as unknown as Request;
}

async function failure(promise: Promise<unknown>): Promise<SpectroCloudAuthError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SpectroCloudAuthError);
  return error as SpectroCloudAuthError;
}

beforeAll(async () => {
  issuer = await startLocalIssuer();
});
afterAll(() => issuer?.close());

describe('complete: the exchanged ID token is verified before anything reads it', () => {
  function handlersWithResolver() {
    const { service, verified } = countingService();
    const resolved: string[] = [];
    const handlers = new SpectroCloudAuthHandlers({
      service,
      resolverContext: {} as AuthResolverContext,
      signInResolver: async ({ result }) => {
        resolved.push(result.claims.sub);
        return { token: 'backstage-token-not-a-jwt' };
      },
    });
    return { handlers, resolved, verified };
  }

  it('signs in with a token carrying the browser-bound nonce, verified once (control)', async () => {
    const { handlers, resolved, verified } = handlersWithResolver();
    const token = idToken('alice', { nonce: boundNonce });
    issuer.answerTokenRequests(() => ({ body: { access_token: 'access-token-alice-0123', token_type: 'Bearer', id_token: token } }));
    const { response } = await handlers.handler(callbackRequest());
    expect(response.providerInfo.idToken).toBe(token);
    expect(resolved).toEqual(['alice']);
    expect(verified).toEqual([token]);
  });

  it('never hands the resolver a token signed by another key (ERR_ID_TOKEN_SIGNATURE)', async () => {
    const { handlers, resolved } = handlersWithResolver();
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const forged = idToken('mallory', { nonce: boundNonce }, { key: privateKey });
    issuer.answerTokenRequests(() => ({ body: { access_token: 'access-token-mallory-0123', token_type: 'Bearer', id_token: forged } }));
    const error = await failure(handlers.handler(callbackRequest()));
    expect(error.code).toBe('ERR_ID_TOKEN_SIGNATURE');
    expect(resolved).toEqual([]);
  });

  it('never hands the resolver a token whose nonce is not the browser-bound one (ERR_ID_TOKEN_CLAIM, claim nonce)', async () => {
    const { handlers, resolved } = handlersWithResolver();
    const replayed = idToken('alice', { nonce: 'nonce-of-another-sign-in' });
    issuer.answerTokenRequests(() => ({ body: { access_token: 'access-token-alice-0123', token_type: 'Bearer', id_token: replayed } }));
    const error = await failure(handlers.handler(callbackRequest()));
    expect(error).toMatchObject({ code: 'ERR_ID_TOKEN_CLAIM', claim: 'nonce' });
    expect(resolved).toEqual([]);
  });
});

describe('refresh: one verification per refresh grant', () => {
  function sealedSession(parts: ReturnType<typeof deps>, sub: string): string {
    const refreshToken = `refresh-token-of-${sub}-0123456789`;
    registerSecret(refreshToken);
    return parts.cookie.write({ cookies: {} } as Request, { kind: 'refresh-token', sessionId: `session-of-${sub}`, signedInAt: NOW_MS, refreshToken, idToken: idToken(sub) }, APP_URL);
  }
  const refreshRequest = () => ({ cookies: {}, get: () => undefined }) as unknown as Request;

  it('the refresh that makes the grant verifies its new ID token exactly once', async () => {
    const { service, parts, verified } = countingService();
    const refreshed = idToken('alice', { iat: NOW - 30 });
    issuer.answerTokenRequests(() => ({ body: { access_token: 'access-token-alice-0456', token_type: 'Bearer', id_token: refreshed } }));
    const result = await service.refresh(refreshRequest(), sealedSession(parts, 'alice'), undefined);
    expect(result.idToken).toBe(refreshed);
    expect(verified).toEqual([refreshed]);
  });

  it('a refresh sharing another refresh grant verifies the shared result itself; the IdP is asked once', async () => {
    const { service, parts, verified } = countingService();
    const refreshed = idToken('bob', { iat: NOW - 30 });
    const before = issuer.tokenRequests.length;
    issuer.answerTokenRequests(() => ({ body: { access_token: 'access-token-bob-0456', token_type: 'Bearer', id_token: refreshed } }));
    const first = sealedSession(parts, 'bob');
    const [a, b] = await Promise.all([service.refresh(refreshRequest(), first, undefined), service.refresh(refreshRequest(), first, undefined)]);
    expect([a.idToken, b.idToken]).toEqual([refreshed, refreshed]);
    expect(issuer.tokenRequests.length - before).toBe(1);
    // once by the granter, once by the refresh that waited for its result
    expect(verified).toEqual([refreshed, refreshed]);
  });
});
