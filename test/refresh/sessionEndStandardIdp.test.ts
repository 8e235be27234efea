import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callback, CookieJar, refresh, startSignIn } from '../support/spectroFixture';
import { startStandardIssuerFixture, type StandardIssuerFixture } from '../support/standardIssuerFixture';

/**
 * `providerInfo.sessionEndsInSeconds` against a standard issuer (panva's
 * oidc-provider, real refresh tokens): the session's end is what a refresh
 * token cannot pass. SpectroCloud's side (the ID token's expiry) is in
 * sessionEnd.test.ts, on both backends.
 */
async function signedIn(setup: StandardIssuerFixture): Promise<CookieJar> {
  const jar = new CookieJar();
  const start = await startSignIn(setup, jar);
  if (start.status !== 302) throw new Error(`start answered ${start.status}: ${start.text}`);
  await callback(setup, jar, await setup.op.authorize(start.headers.location, 'alice@example.com'));
  return jar;
}

describe.each([
  ['without sessionDuration', undefined],
  ['with sessionDuration 2h', '2h'],
])('a standard OIDC issuer (refresh token), %s', (_name, sessionDuration) => {
  let setup: StandardIssuerFixture;
  beforeAll(async () => {
    setup = await startStandardIssuerFixture({ refreshGrantInterval: 0, sessionDuration });
  });
  afterAll(() => setup?.close());

  it(
    sessionDuration
      ? 'names sessionDuration as the end in /refresh, not the ID token (1 h) the refresh token renews'
      : 'names no end in /refresh: the refresh token renews the session silently',
    async () => {
      const response = await refresh(setup, await signedIn(setup));
      expect(response.status).toBe(200);
      if (!sessionDuration) {
        expect(response.body.providerInfo).not.toHaveProperty('sessionEndsInSeconds');
        return;
      }
      expect(response.body.providerInfo.sessionEndsInSeconds).toBeGreaterThan(2 * 3600 - 30);
      expect(response.body.providerInfo.sessionEndsInSeconds).toBeLessThanOrEqual(2 * 3600);
    },
  );
});
