import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConfigReader } from '@backstage/config';
import { readEnvironmentConfig } from '../../src/config/readEnvironmentConfig';
import { BACKEND_KINDS, signIn, startFixture, type Fixture } from '../support/spectroFixture';

/*
 * OIDC Core 5.1 end to end: an address SpectroCloud marks unverified never
 * signs anyone in (no catalog lookup result, no profile, no session token
 * kept for it); an absent claim keeps today's behaviour unless
 * requireVerifiedEmail is on. The same on both backends.
 */
function lastFailureCode(fixture: Fixture): string | undefined {
  const line = [...fixture.backend.logLines].reverse().find(entry => entry.includes('SpectroCloud sign-in failed: '));
  return line ? /sign-in failed: (ERR_[A-Z_]+)/.exec(line)?.[1] : undefined;
}

describe.each(BACKEND_KINDS)('email_verified (%s backend)', kind => {
  let fixture: Fixture;
  beforeAll(async () => {
    fixture = await startFixture({ kind, tokenStore: { apiTokenCookie: true } });
  });
  afterEach(() => fixture.emulator.resetFaults());
  afterAll(() => fixture?.close());

  it.each([false, 'false'])('refuses email_verified: %j with ERR_EMAIL_NOT_VERIFIED and keeps no session token', async verified => {
    fixture.emulator.setFaults({ idToken: ({ claims, sign }) => sign({ ...claims, email_verified: verified }) });
    const { frame, jar } = await signIn(fixture);
    expect(frame.message.error?.message).toContain('not verified');
    expect(frame.message.response).toBeUndefined();
    expect(lastFailureCode(fixture)).toBe('ERR_EMAIL_NOT_VERIFIED');
    expect(jar.values.has('spectrocloud-api-token')).toBe(false);
    expect(jar.values.has('spectrocloud-refresh-token')).toBe(false);
  });

  it('signs in when the claim is absent (SpectroCloud addresses are tenant-managed)', async () => {
    fixture.emulator.setFaults({ idToken: ({ claims: { email_verified: _v, ...claims }, sign }) => sign(claims) });
    const { frame, jar } = await signIn(fixture);
    expect(frame.message.response.backstageIdentity.identity.userEntityRef).toBe('user:default/alice');
    expect(jar.values.has('spectrocloud-api-token')).toBe(true);
  });
});

describe.each(BACKEND_KINDS)('requireVerifiedEmail: true (%s backend)', kind => {
  let fixture: Fixture;
  beforeAll(async () => {
    fixture = await startFixture({ kind, environment: { requireVerifiedEmail: true } });
  });
  afterEach(() => fixture.emulator.resetFaults());
  afterAll(() => fixture?.close());

  it('refuses an ID token without email_verified', async () => {
    fixture.emulator.setFaults({ idToken: ({ claims: { email_verified: _v, ...claims }, sign }) => sign(claims) });
    const { frame } = await signIn(fixture);
    expect(frame.message.error?.message).toContain('requireVerifiedEmail is on');
    expect(lastFailureCode(fixture)).toBe('ERR_ID_TOKEN_CLAIM');
  });

  it('signs in with email_verified: true (control)', async () => {
    const { frame } = await signIn(fixture);
    expect(frame.message.response.backstageIdentity.identity.userEntityRef).toBe('user:default/alice');
  });
});

describe('requireVerifiedEmail in the config', () => {
  it('refuses a non-boolean requireVerifiedEmail, naming the key', () => {
    const read = (value: unknown) =>
      readEnvironmentConfig(new ConfigReader({ clientId: 'id', clientSecret: 'secret', authorizationUrl: 'https://console.spectrocloud.com/v1/oidc/tenant/abc/auth', requireVerifiedEmail: value } as never), {
        path: 'auth.providers.spectrocloud.development',
        authBaseUrl: 'http://localhost:7007/api/auth',
        providerId: 'spectrocloud',
      });
    expect(() => read('maybe')).toThrow(/auth\.providers\.spectrocloud\.development\.requireVerifiedEmail/);
    expect(read(undefined).requireVerifiedEmail).toBe(false);
    expect(read(true).requireVerifiedEmail).toBe(true);
  });
});
