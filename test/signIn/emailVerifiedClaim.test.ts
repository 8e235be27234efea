import { describe, expect, it } from 'vitest';
import type { AuthResolverContext } from '@backstage/plugin-auth-node';
import { passportProfileFromClaims, profileFromClaims, readEmail, type SpectroCloudAuthResult } from '../../src/profile';
import { spectroCloudSignInResolvers } from '../../src/resolvers';
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

describe('the sign-in resolvers', () => {
  it.each(Object.keys(spectroCloudSignInResolvers) as Array<keyof typeof spectroCloudSignInResolvers>)(
    '%s refuses an address marked unverified before asking the catalog, even from a custom profile',
    async name => {
      const asked: string[] = [];
      // Only records whether the resolver reached the catalog; it must not.
      const context = {
        signInWithCatalogUser: async () => {
          asked.push(name);
          throw new Error('the catalog was asked');
        },
      } as unknown as AuthResolverContext;
      const result = { claims: { ...base, email_verified: false } } as unknown as SpectroCloudAuthResult;
      const resolve = spectroCloudSignInResolvers[name]();
      await expect(resolve({ profile: { email: 'alice@example.com' }, result }, context)).rejects.toMatchObject({ code: 'ERR_EMAIL_NOT_VERIFIED' });
      expect(asked).toEqual([]);
    },
  );
});
