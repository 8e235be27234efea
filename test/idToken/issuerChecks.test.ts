import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BACKEND_KINDS, CLIENT_ID, refresh, signIn, startFixture, type Fixture } from '../support/spectroFixture';

/*
 * Two issuer checks a reviewer reads in the sign-in service, exercised through the real routes of both backends
 * (the conformance suite runs the same cases by OIDF module name; the rules themselves have unit tests in
 * test/idToken/authorizationResponseIssuer.test.ts and test/idToken/refreshedIdToken.test.ts):
 * - at the callback, RFC 9207's `iss` names the issuer the sign-in was sent to (SignInService.complete);
 * - a refresh grant's new ID token continues the original sign-in, OIDC Core 12.2 (SignInService.refresh).
 */

/** The code of the backend's last "sign-in failed" log line: the popup shows only name and message. */
function lastFailureCode(fixture: Fixture): string | undefined {
  const line = [...fixture.backend.logLines].reverse().find(entry => entry.includes('SpectroCloud sign-in failed: '));
  return line ? /sign-in failed: (ERR_[A-Z_]+)/.exec(line)?.[1] : undefined;
}

type Claims = Record<string, unknown>;

describe.each(BACKEND_KINDS)('issuer checks on the sign-in and refresh routes (%s backend)', kind => {
  let fixture: Fixture;
  beforeAll(async () => {
    fixture = await startFixture({
      kind,
      // Discovery promises `iss` on authorization responses; a real refresh_token grant on every /refresh.
      emulator: { authorizationResponseIss: true, refreshTokenGrant: true },
      environment: { refreshGrantInterval: 0 },
    });
  });
  afterEach(() => fixture.emulator.resetFaults());
  afterAll(() => fixture?.close());

  describe('RFC 9207: iss of the authorization response', () => {
    it('signs in when the callback names the issuer the sign-in was sent to (control)', async () => {
      const { frame } = await signIn(fixture);
      expect(frame.message.error).toBeUndefined();
      expect(frame.message.response?.backstageIdentity?.identity?.userEntityRef).toBe('user:default/alice');
    });

    it('refuses a callback naming another issuer with ERR_AUTHORIZATION_RESPONSE_ISSUER', async () => {
      fixture.emulator.setFaults({ authorizationResponseIss: 'https://evil.example.com' });
      const { frame } = await signIn(fixture);
      expect(frame.message.response).toBeUndefined();
      expect(frame.message.error?.name).toBe('SpectroCloudRequestError');
      expect(lastFailureCode(fixture)).toBe('ERR_AUTHORIZATION_RESPONSE_ISSUER');
    });

    it('refuses a callback without iss when discovery promises one, with ERR_AUTHORIZATION_RESPONSE_ISSUER', async () => {
      fixture.emulator.setFaults({ omitAuthorizationResponseIss: true });
      const { frame } = await signIn(fixture);
      expect(frame.message.response).toBeUndefined();
      expect(lastFailureCode(fixture)).toBe('ERR_AUTHORIZATION_RESPONSE_ISSUER');
    });
  });

  describe('OIDC Core 12.2: the refreshed ID token continues the sign-in', () => {
    /** Signs in normally, then refreshes with the refresh grant's ID token changed by `change`. */
    async function refreshWith(change: (claims: Claims) => Claims) {
      const { jar, frame } = await signIn(fixture);
      expect(frame.message.error).toBeUndefined();
      fixture.emulator.setFaults({ idToken: ({ claims, sign, grantType }) => sign(grantType === 'refresh_token' ? change(claims) : claims) });
      return refresh(fixture, jar);
    }

    it('refreshes when the new ID token continues the sign-in (control)', async () => {
      const response = await refreshWith(claims => claims);
      expect(response.status).toBe(200);
      expect(response.body.backstageIdentity.identity.userEntityRef).toBe('user:default/alice');
    });

    it('refuses a new ID token about another subject with ERR_SESSION_SUBJECT_CHANGED', async () => {
      const response = await refreshWith(claims => ({ ...claims, sub: 'someone-else' }));
      expect(response.status).toBe(401);
      expect(response.body.error.cause.code).toBe('ERR_SESSION_SUBJECT_CHANGED');
      expect(JSON.stringify(response.body)).not.toContain('backstageIdentity');
    });

    it.each([
      ['aud', (claims: Claims) => ({ ...claims, aud: [CLIENT_ID, 'another-client'], azp: CLIENT_ID })],
      ['azp', ({ azp: _azp, ...claims }: Claims) => claims],
      ['auth_time', (claims: Claims) => ({ ...claims, auth_time: (claims.auth_time as number) + 60 })],
      ['nonce', (claims: Claims) => ({ ...claims, nonce: 'a-nonce-the-sign-in-never-sent' })],
    ])('refuses a new ID token whose "%s" does not continue the sign-in, with ERR_SESSION_UNVERIFIABLE', async (claim, change) => {
      const response = await refreshWith(change);
      expect(response.status).toBe(401);
      expect(response.body.error.cause.code).toBe('ERR_SESSION_UNVERIFIABLE');
      expect(response.body.error.cause.message).toContain(`unexpected "${claim}" claim value: the refreshed ID token does not continue the original sign-in`);
      expect(JSON.stringify(response.body)).not.toContain('backstageIdentity');
    });

    it('refuses a new ID token from another issuer', async () => {
      const response = await refreshWith(claims => ({ ...claims, iss: `${claims.iss}-other` }));
      expect(response.status).toBe(401);
      expect(response.body.error.cause.code).toBe('ERR_SESSION_UNVERIFIABLE');
      expect(JSON.stringify(response.body)).not.toContain('backstageIdentity');
    });
  });
});
