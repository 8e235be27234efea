import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { IdTokenVerifier } from '../../src/oidc/IdTokenVerifier';
import { startLocalIssuer, type LocalIssuer } from '../support/localIssuer';
import { verifierRefusal } from '../support/verifierRefusal';

/*
 * Every negative case of ID-token verification, on a frozen clock (the
 * verifier's injected `clock`), asserting `code` and `claim`. Keys are real
 * RS256 keys; the JWKS is served on loopback and its requests are counted.
 */
const CLIENT_ID = 'unit-client';
const NOW_MS = Date.UTC(2026, 10, 30, 12, 0, 0);
const NOW = NOW_MS / 1000;
const NONCE = 'nonce-for-this-sign-in-0123456789';

let issuer: LocalIssuer;
let verifier: IdTokenVerifier;

function claims(overrides: Record<string, unknown> = {}) {
  return { iss: issuer.issuer, aud: CLIENT_ID, sub: 'user-1', iat: NOW - 10, exp: NOW + 300, nonce: NONCE, ...overrides };
}

function without(name: string) {
  const all: Record<string, unknown> = claims();
  delete all[name];
  return all;
}

const refusal = (token: unknown, expected: { nonce?: string } = { nonce: NONCE }) => verifierRefusal(verifier, token, expected);

beforeAll(async () => {
  issuer = await startLocalIssuer();
});
afterAll(() => issuer?.close());

beforeEach(() => {
  // A fresh verifier per test: no key cached from the test before.
  verifier = new IdTokenVerifier({
    clientId: CLIENT_ID,
    algorithms: ['RS256'],
    clockTolerance: 5,
    endpoints: async () => ({ issuer: issuer.issuer, jwksUrl: issuer.jwksUrl }),
    clock: () => NOW_MS,
  });
});

describe('IdTokenVerifier', () => {
  it('accepts a well-formed token and returns its claims (control)', async () => {
    const verified = await verifier.verify(issuer.sign(claims()), { nonce: NONCE });
    expect(verified).toMatchObject({ sub: 'user-1', nonce: NONCE });
  });

  it('refuses a missing token with ERR_ID_TOKEN_MISSING', async () => {
    expect((await refusal(undefined)).code).toBe('ERR_ID_TOKEN_MISSING');
    expect((await refusal('')).code).toBe('ERR_ID_TOKEN_MISSING');
  });

  it('refuses a string that is not a JWT with ERR_ID_TOKEN_INVALID', async () => {
    expect((await refusal('not-a-jwt')).code).toBe('ERR_ID_TOKEN_INVALID');
  });

  describe('algorithm', () => {
    it('refuses alg "none" with ERR_ID_TOKEN_ALGORITHM and makes no JWKS request', async () => {
      const before = issuer.jwksRequests();
      const error = await refusal(issuer.sign(claims(), { alg: 'none' }));
      expect(error.code).toBe('ERR_ID_TOKEN_ALGORITHM');
      expect(issuer.jwksRequests()).toBe(before);
    });

    it('refuses HS256 signed with the public key as secret, with no JWKS request', async () => {
      const publicPem = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' });
      const before = issuer.jwksRequests();
      const error = await refusal(issuer.sign(claims(), { alg: 'HS256', key: Buffer.from(publicPem) }));
      expect(error).toMatchObject({ code: 'ERR_ID_TOKEN_ALGORITHM', claim: 'alg' });
      expect(error.message).toContain('algorithm "HS256"');
      expect(issuer.jwksRequests()).toBe(before);
    });

    it('refuses an asymmetric algorithm outside the allow-list (RS512) with no JWKS request', async () => {
      const before = issuer.jwksRequests();
      const error = await refusal(issuer.sign(claims(), { alg: 'RS512' }));
      expect(error).toMatchObject({ code: 'ERR_ID_TOKEN_ALGORITHM', claim: 'alg' });
      expect(issuer.jwksRequests()).toBe(before);
    });
  });

  describe('signature', () => {
    it('refuses a token signed by a key the issuer does not hold', async () => {
      const foreign = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
      const error = await refusal(issuer.sign(claims(), { key: foreign }));
      expect(error.code).toBe('ERR_ID_TOKEN_SIGNATURE');
      expect(error.message).toBe('ID token signature is invalid');
    });

    it('refuses a token naming a kid the JWKS does not publish', async () => {
      const error = await refusal(issuer.sign(claims(), { kid: 'unknown-kid' }));
      expect(error.code).toBe('ERR_ID_TOKEN_SIGNATURE');
    });

    it('refuses a token whose payload was changed after signing', async () => {
      const [header, , signature] = issuer.sign(claims()).split('.');
      const forged = Buffer.from(JSON.stringify(claims({ sub: 'admin' }))).toString('base64url');
      expect((await refusal(`${header}.${forged}.${signature}`)).code).toBe('ERR_ID_TOKEN_SIGNATURE');
    });
  });

  describe('claims', () => {
    it.each([
      ['iss', { iss: 'https://evil.example.com' }],
      ['aud', { aud: 'another-client' }],
      ['azp', { azp: 'another-client' }],
      ['azp', { aud: [CLIENT_ID, 'another-client'] }],
      ['nonce', { nonce: 'nonce-of-another-sign-in-98765' }],
      ['iat', { iat: NOW + 60 }],
      ['nbf', { nbf: NOW + 60 }],
    ])('refuses a wrong "%s" with ERR_ID_TOKEN_CLAIM naming it', async (claim, overrides) => {
      const error = await refusal(issuer.sign(claims(overrides)));
      expect(error).toMatchObject({ code: 'ERR_ID_TOKEN_CLAIM', claim });
    });

    it.each(['sub', 'iat', 'nonce'])('refuses a token without "%s" with ERR_ID_TOKEN_CLAIM naming it', async claim => {
      const error = await refusal(issuer.sign(without(claim)));
      expect(error).toMatchObject({ code: 'ERR_ID_TOKEN_CLAIM', claim });
      expect(error.message).toBe(`missing required "${claim}" claim`);
    });

    it('refuses a token without "exp"', async () => {
      const error = await refusal(issuer.sign(without('exp')));
      expect(error).toMatchObject({ code: 'ERR_ID_TOKEN_CLAIM', claim: 'exp' });
    });

    it('accepts a token without nonce when none is expected (refresh re-verification)', async () => {
      await expect(verifier.verify(issuer.sign(without('nonce')), {})).resolves.toMatchObject({ sub: 'user-1' });
    });
  });

  describe('expiry on the injected clock', () => {
    it('refuses a token expired beyond the tolerance with ERR_ID_TOKEN_EXPIRED and claim exp', async () => {
      const error = await refusal(issuer.sign(claims({ exp: NOW - 6 })));
      expect(error).toMatchObject({ code: 'ERR_ID_TOKEN_EXPIRED', claim: 'exp' });
    });

    it('accepts a token expired within the tolerance', async () => {
      await expect(verifier.verify(issuer.sign(claims({ exp: NOW - 4 })), { nonce: NONCE })).resolves.toBeDefined();
    });

    it('accepts an "iat" in the future within the tolerance, refuses one beyond it', async () => {
      await expect(verifier.verify(issuer.sign(claims({ iat: NOW + 4 })), { nonce: NONCE })).resolves.toBeDefined();
      expect(await refusal(issuer.sign(claims({ iat: NOW + 6 })))).toMatchObject({ code: 'ERR_ID_TOKEN_CLAIM', claim: 'iat' });
    });
  });
});
