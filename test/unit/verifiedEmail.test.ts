import { describe, expect, it } from 'vitest';
import { passportProfileFromClaims, profileFromClaims, readEmail } from '../../src/profile';
import type { IdTokenClaims } from '../../src/oidc/IdTokenVerifier';

/* OIDC Core 5.1: an address the IdP marks unverified is never used. */
const base = { iss: 'https://i', sub: 'u1', aud: 'c', exp: 2, iat: 1, email: 'alice@example.com', name: 'Alice' } as IdTokenClaims;

describe('email_verified', () => {
  it.each([false, 'false'])('refuses email_verified: %j with ERR_EMAIL_NOT_VERIFIED, in readEmail and both profiles', verified => {
    const claims = { ...base, email_verified: verified } as IdTokenClaims;
    for (const read of [readEmail, profileFromClaims, passportProfileFromClaims]) {
      expect(() => read(claims)).toThrow(expect.objectContaining({ code: 'ERR_EMAIL_NOT_VERIFIED' }));
    }
  });

  it('uses the address when email_verified is true or absent (SpectroCloud addresses are tenant-managed)', () => {
    expect(readEmail({ ...base, email_verified: true })).toBe('alice@example.com');
    expect(profileFromClaims(base).email).toBe('alice@example.com');
  });
});
