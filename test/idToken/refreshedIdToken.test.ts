import jwt from 'jsonwebtoken';
import { describe, expect, it } from 'vitest';
import { checkRefreshedIdToken } from '../../src/oidc/checkRefreshedIdToken';
import type { IdTokenClaims } from '../../src/oidc/IdTokenVerifier';

/*
 * OIDC Core 12.2 on the claims of a refreshed ID token (already verified)
 * against the ID token sealed at sign-in. The original is only decoded, so
 * it is signed here with a throwaway HMAC key.
 */
const ORIGINAL = {
  iss: 'https://issuer.example.com',
  sub: 'user-1',
  aud: 'client-1',
  azp: 'client-1',
  iat: 1_000,
  exp: 2_000,
  auth_time: 990,
  nonce: 'sign-in-nonce',
};
const original = jwt.sign(ORIGINAL, 'test-only-key');

function refreshed(overrides: Record<string, unknown> = {}): IdTokenClaims {
  const { nonce: _nonce, ...rest } = ORIGINAL;
  return { ...rest, iat: 1_500, exp: 2_500, ...overrides } as IdTokenClaims;
}

function refusal(claims: IdTokenClaims) {
  try {
    checkRefreshedIdToken(original, claims);
  } catch (error) {
    return error as { code: string; cause?: { claim?: string } };
  }
  throw new Error('the refreshed ID token was accepted');
}

describe('OIDC Core 12.2: a refreshed ID token continues the original sign-in', () => {
  it('accepts the same iss/sub/aud/azp/auth_time, a newer iat and no nonce (control)', () => {
    expect(() => checkRefreshedIdToken(original, refreshed())).not.toThrow();
    expect(() => checkRefreshedIdToken(original, refreshed({ nonce: 'sign-in-nonce' }))).not.toThrow();
    expect(() => checkRefreshedIdToken(original, refreshed({ auth_time: undefined }))).not.toThrow();
  });

  it('refuses another sub with ERR_SESSION_SUBJECT_CHANGED', () => {
    expect(refusal(refreshed({ sub: 'user-2' })).code).toBe('ERR_SESSION_SUBJECT_CHANGED');
  });

  it.each([
    ['iss', { iss: 'https://other.example.com' }],
    ['aud', { aud: ['client-1', 'client-2'] }],
    ['azp', { azp: undefined }],
    ['azp', { azp: 'client-2' }],
    ['iat', { iat: 999 }],
    ['auth_time', { auth_time: 1_500 }],
    ['nonce', { nonce: 'another-nonce' }],
  ])('refuses a changed "%s" with ERR_SESSION_UNVERIFIABLE, naming the claim', (claim, overrides) => {
    const error = refusal(refreshed(overrides));
    expect(error).toMatchObject({ code: 'ERR_SESSION_UNVERIFIABLE', cause: { code: 'ERR_ID_TOKEN_CLAIM', claim } });
    expect((error as unknown as Error).message).toContain(`"${claim}"`);
  });

  it('refuses an azp the original did not have', () => {
    const { azp: _azp, ...noAzp } = ORIGINAL;
    const withoutAzp = jwt.sign(noAzp, 'test-only-key');
    expect(() => checkRefreshedIdToken(withoutAzp, refreshed())).toThrow(expect.objectContaining({ cause: expect.objectContaining({ claim: 'azp' }) }));
  });
});
