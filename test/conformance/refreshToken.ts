import jwt from 'jsonwebtoken';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ConformanceBackend } from './backends';
import { expectSignedIn, refreshAt, signInAt, startConformance, type Conformance } from './harness';

/*
 * The OpenID Foundation's refresh-token plan (oidcc-client-refreshtoken-test-plan),
 * against an OP with a real refresh_token grant; the refreshed ID token is
 * forged only on the refresh response (the fault is told the grant type).
 */
export function refreshTokens(backend: ConformanceBackend): void {
  describe('refresh tokens', () => {
    let c: Conformance;
    beforeAll(async () => {
      // A refresh grant on every /refresh (refreshGrantInterval 0): the refreshed ID token is what this plan checks.
      c = await startConformance(backend, { op: { refreshTokenGrant: true }, environment: { refreshGrantInterval: 0 } });
    });
    afterEach(() => c.op.resetFaults());
    afterAll(() => c?.close());

    /** Sign in normally, then refresh with the refreshed ID token's claims changed by `change`. */
    async function refreshWith(change: (claims: Record<string, unknown>) => Record<string, unknown>) {
      const { jar, frame } = await signInAt(c);
      expectSignedIn(frame);
      c.op.setFaults({ idToken: ({ claims, sign, grantType }) => sign(grantType === 'refresh_token' ? change(claims) : claims) });
      const before = c.op.stats.tokenRequests;
      const response = await refreshAt(c, jar);
      expect(c.op.stats.tokenRequests).toBe(before + 1); // the refresh grant really ran
      return { response, first: frame.message.response };
    }

    it('oidcc-client-test-refresh-token: refreshes with the refresh token, gets a new access token and calls userinfo with it', async () => {
      // Without an e-mail in the refreshed ID token, the profile can only come from userinfo and the new access token.
      const { response, first } = await refreshWith(({ email: _email, ...claims }) => claims);
      expect(response.status).toBe(200);
      expect(response.body.backstageIdentity.identity.userEntityRef).toBe('user:default/alice');
      expect(response.body.providerInfo.accessToken).not.toBe(first.providerInfo.accessToken);
      expect(response.body.providerInfo.idToken).not.toBe(first.providerInfo.idToken);
      expect(response.body.profile.email).toBe('alice@example.com');
      expect((jwt.decode(response.body.providerInfo.idToken) as jwt.JwtPayload).nonce).toBeUndefined();
    });

    it('oidcc-client-test-refresh-token-invalid-issuer: refuses a refreshed ID token with another iss', async () => {
      const { response } = await refreshWith(claims => ({ ...claims, iss: `${claims.iss}-other` }));
      expect(response.status).toBe(401);
      expect(JSON.stringify(response.body)).toContain('could not be verified');
      expect(JSON.stringify(response.body)).not.toContain('backstageIdentity');
    });

    it('oidcc-client-test-refresh-token-invalid-sub: refuses a refreshed ID token about another user', async () => {
      const { response } = await refreshWith(claims => ({ ...claims, sub: 'someone-else' }));
      expect(response.status).toBe(401);
      expect(JSON.stringify(response.body)).toContain('The refreshed ID token is for another user');
    });

    // OIDC Core 12.2 beyond the OIDF modules: the rest of the original sign-in must carry over too.
    it.each([
      ['auth_time', (claims: Record<string, unknown>) => ({ ...claims, auth_time: (claims.auth_time as number) + 60 })],
      ['nonce', (claims: Record<string, unknown>) => ({ ...claims, nonce: 'a-nonce-the-sign-in-never-sent' })],
      ['azp', ({ azp: _azp, ...claims }: Record<string, unknown>) => claims],
    ])('refuses a refreshed ID token whose "%s" does not continue the sign-in (OIDC Core 12.2)', async (claim, change) => {
      const { response } = await refreshWith(change);
      expect(response.status).toBe(401);
      expect(JSON.stringify(response.body)).toContain(`unexpected \\"${claim}\\" claim value: the refreshed ID token does not continue the original sign-in`);
    });
  });
}
