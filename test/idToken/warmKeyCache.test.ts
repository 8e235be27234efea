import { sign as cryptoSign } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OutboundClient } from '../../src/http/OutboundClient';
import { EndpointResolver } from '../../src/oidc/EndpointResolver';
import { IdTokenVerifier } from '../../src/oidc/IdTokenVerifier';
import { startLocalIssuer, type LocalIssuer } from '../support/localIssuer';
import { registerSecret } from '../support/secrets';
import { verifierRefusal } from '../support/verifierRefusal';

/*
 * With the JWKS cache warm and the endpoints resolved, the verifier hands
 * jsonwebtoken the cached key without waiting (SigningKeys.cachedKey,
 * EndpointResolver.resolved). Every check must hold on that path as on the
 * one that fetches: each test first warms the cache with a good token, then
 * shows the refusal with no further JWKS request.
 */
const CLIENT_ID = 'warm-client';
const NOW_MS = Date.UTC(2026, 11, 1, 12, 0, 0);
const NOW = NOW_MS / 1000;
const NONCE = 'nonce-warm-0123456789abcdef';

let issuer: LocalIssuer;
let verifier: IdTokenVerifier;

function claims(overrides: Record<string, unknown> = {}) {
  return { iss: issuer.issuer, aud: CLIENT_ID, sub: 'user-1', iat: NOW - 10, exp: NOW + 300, nonce: NONCE, ...overrides };
}

function withHeader(header: Record<string, unknown>): string {
  const token = jwt.sign(claims(), issuer.privateKey, { algorithm: 'RS256', header: { alg: 'RS256', kid: issuer.kid, ...header } as jwt.JwtHeader });
  registerSecret(token);
  return token;
}

function withRawHeader(headerJson: string): string {
  const input = `${Buffer.from(headerJson).toString('base64url')}.${Buffer.from(JSON.stringify(claims())).toString('base64url')}`;
  const token = `${input}.${cryptoSign('sha256', Buffer.from(input), issuer.privateKey).toString('base64url')}`;
  registerSecret(token);
  return token;
}

const refusal = (token: unknown, using = verifier) => verifierRefusal(using, token, { nonce: NONCE });

beforeAll(async () => {
  issuer = await startLocalIssuer();
});
afterAll(() => issuer?.close());
beforeEach(async () => {
  verifier = new IdTokenVerifier({
    clientId: CLIENT_ID,
    // RS384 allowed too, so that the key rules (not the allow-list) are what refuses it below.
    algorithms: ['RS256', 'RS384'],
    clockTolerance: 5,
    endpoints: async () => ({ issuer: issuer.issuer, jwksUrl: issuer.jwksUrl }),
    resolvedEndpoints: () => ({ issuer: issuer.issuer, jwksUrl: issuer.jwksUrl }),
    clock: () => NOW_MS,
  });
  await expect(verifier.verify(issuer.sign(claims()), { nonce: NONCE })).resolves.toMatchObject({ sub: 'user-1' });
});

describe('with the JWKS cache warm', () => {
  it('verifies without another JWKS request (control)', async () => {
    const before = issuer.jwksRequests();
    await expect(verifier.verify(issuer.sign(claims()), { nonce: NONCE })).resolves.toMatchObject({ sub: 'user-1', nonce: NONCE });
    expect(issuer.jwksRequests()).toBe(before);
  });

  it.each([
    ['"jwk"', { jwk: { kty: 'oct', k: 'AAAA' } }, 'jwk'],
    ['"jku"', { jku: 'https://evil.example.com/keys' }, 'jku'],
    ['"crit"', { crit: ['exp'], exp: 1 }, 'crit'],
    ['"typ": "at+jwt"', { typ: 'at+jwt' }, 'typ'],
    ['"cty"', { cty: 'JWT' }, 'cty'],
    ['"b64": false', { b64: false }, 'b64'],
  ])('refuses a header with %s as a cold verifier does (ERR_ID_TOKEN_HEADER)', async (_what, header, claim) => {
    const before = issuer.jwksRequests();
    expect(await refusal(withHeader(header))).toMatchObject({ code: 'ERR_ID_TOKEN_HEADER', claim });
    expect(issuer.jwksRequests()).toBe(before);
  });

  it('refuses "alg": "none" and an empty "kid"', async () => {
    expect(await refusal(issuer.sign(claims(), { alg: 'none' }))).toMatchObject({ code: 'ERR_ID_TOKEN_ALGORITHM', claim: 'alg' });
    expect(await refusal(withRawHeader(JSON.stringify({ alg: 'RS256', kid: '' })))).toMatchObject({ code: 'ERR_ID_TOKEN_HEADER', claim: 'kid' });
  });

  it('reads a header that is not a JSON object, or no JWS at all, as malformed (ERR_ID_TOKEN_INVALID)', async () => {
    expect((await refusal(withRawHeader('["RS256"]'))).code).toBe('ERR_ID_TOKEN_INVALID');
    expect((await refusal('not-a-jwt')).code).toBe('ERR_ID_TOKEN_INVALID');
    // A payload that is not JSON, under a header saying JWT: jsonwebtoken fails before it hands us the header.
    const header = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: issuer.kid })).toString('base64url');
    expect((await refusal(`${header}.${Buffer.from('{"socket timeout').toString('base64url')}.c2ln`)).code).toBe('ERR_ID_TOKEN_INVALID');
  });

  it('applies the key rules to the cached key: the RS256 key does not verify an RS384 token (ERR_ID_TOKEN_KEY_REFUSED)', async () => {
    const before = issuer.jwksRequests();
    expect(await refusal(issuer.sign(claims(), { alg: 'RS384' }))).toMatchObject({ code: 'ERR_ID_TOKEN_KEY_REFUSED', claim: 'kid' });
    expect(issuer.jwksRequests()).toBe(before);
  });

  it('still checks the signature, the claims jsonwebtoken checks and ours', async () => {
    const token = issuer.sign(claims());
    const [head, body] = token.split('.');
    const otherSignature = issuer.sign(claims({ sub: 'user-2' })).split('.')[2];
    expect((await refusal(`${head}.${body}.${otherSignature}`)).code).toBe('ERR_ID_TOKEN_SIGNATURE');
    expect(await refusal(issuer.sign(claims({ aud: 'another-client' })))).toMatchObject({ claim: 'aud' });
    expect(await refusal(issuer.sign(claims({ exp: NOW - 60 })))).toMatchObject({ code: 'ERR_ID_TOKEN_EXPIRED' });
    expect(await refusal(issuer.sign(claims({ nonce: 'another-sign-in' })))).toMatchObject({ claim: 'nonce' });
    expect(await refusal(issuer.sign(claims({ azp: 'another-client' })))).toMatchObject({ claim: 'azp' });
  });

  it('answers through a promise, also when nothing had to wait', async () => {
    const answer = verifier.verify('not-a-jwt');
    expect(answer).toBeInstanceOf(Promise);
    await expect(answer).rejects.toMatchObject({ code: 'ERR_ID_TOKEN_INVALID' });
  });
});

describe('size limit before any parsing', () => {
  it('counts UTF-8 bytes, not characters: 400 three-byte characters are over 1024 bytes', async () => {
    const small = new IdTokenVerifier({
      clientId: CLIENT_ID,
      algorithms: ['RS256'],
      clockTolerance: 5,
      maxIdTokenBytes: 1024,
      endpoints: async () => ({ issuer: issuer.issuer, jwksUrl: issuer.jwksUrl }),
      clock: () => NOW_MS,
    });
    expect((await refusal('€'.repeat(400), small)).code).toBe('ERR_ID_TOKEN_TOO_LARGE');
    // 341 of them are 1023 bytes: read, and refused as what they are.
    expect((await refusal('€'.repeat(341), small)).code).toBe('ERR_ID_TOKEN_INVALID');
  });
});

describe('EndpointResolver.resolved: what resolve() would answer at once', () => {
  let server: http.Server;
  let origin = '';
  let documentIssuer = '';
  beforeAll(async () => {
    server = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ issuer: documentIssuer, token_endpoint: `${documentIssuer}/token`, jwks_uri: `${documentIssuer}/keys` }));
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise(resolve => server.close(resolve)));

  it('is empty before discovery, the kept endpoints within the interval, empty after it and while a refusal stands', async () => {
    let now = NOW_MS;
    const tenant = `${origin}/v1/oidc/tenant/a`;
    documentIssuer = tenant;
    const resolver = new EndpointResolver(
      { authorizationUrl: `${tenant}/auth`, discoveryRefreshInterval: 60 },
      new OutboundClient({ timeoutMs: 5_000, maxResponseBytes: 1024 * 1024, proxy: false }),
      undefined,
      () => now,
    );
    expect(resolver.resolved()).toBeUndefined();
    const resolved = await resolver.resolve();
    expect(resolver.resolved()).toBe(resolved);
    now += 61_000;
    expect(resolver.resolved()).toBeUndefined();
    documentIssuer = `${origin}/v1/oidc/tenant/b`;
    await expect(resolver.resolve()).rejects.toMatchObject({ code: 'ERR_DISCOVERY' });
    expect(resolver.resolved()).toBeUndefined();
  });
});
