import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { CookieJar, startSignIn } from '../support/spectroFixture';
import type { ConformanceBackend } from './backends';
import { expectSignedIn, signInAt, site, startConformance, type Conformance } from './harness';

/*
 * The OpenID Foundation's Config RP plan (oidcc-client-config-certification-test-plan):
 * discovery, jwks_uri, issuer mismatch and signing-key rotation, each test
 * named after its module (idtoken-sig-none, also in the plan, is in basic.test.ts).
 */
export function configRp(backend: ConformanceBackend): void {
  describe('Config RP', () => {
    describe('discovery', () => {
      let c: Conformance;
      beforeAll(async () => {
        // The JWKS lives only where discovery says: derived endpoints (<issuer>/keys) answer 404.
        c = await startConformance(backend, { faults: { jwksPath: 'keys-from-discovery-only' } });
      });
      afterAll(() => c?.close());

      it('oidcc-client-test-discovery-openid-config: reads the OpenID Provider Configuration and signs in with it', async () => {
        expectSignedIn((await signInAt(c)).frame);
        expect(c.op.stats.discoveryRequests).toBeGreaterThan(0);
      });

      it('oidcc-client-test-discovery-jwks-uri-keys: fetches the signing keys from the jwks_uri discovery names', async () => {
        const before = c.op.stats.jwksRequests;
        // A new key forces a fetch: it can only succeed at the jwks_uri of the document.
        c.op.rotateKeys({ keepOld: false });
        expectSignedIn((await signInAt(c)).frame);
        expect(c.op.stats.jwksRequests).toBe(before + 1);
      });
    });

    describe('issuer mismatch', () => {
      let c: Conformance;
      beforeAll(async () => {
        c = await startConformance(backend, { faults: { discoveryIssuer: 'https://console.example.com/v1/oidc/tenant/someone-else' } });
      });
      afterAll(() => c?.close());

      it('oidcc-client-test-discovery-issuer-mismatch: refuses a configuration document naming another issuer', async () => {
        const start = await startSignIn(site(c), new CookieJar());
        expect(start.status).toBeGreaterThanOrEqual(400);
        expect(start.body.error).toMatchObject({ code: 'ERR_DISCOVERY' });
        expect(c.op.stats.authorizationRequests).toBe(0);
      });
    });

    describe('signing-key rotation (default JWKS limits, clocks moved instead of waiting)', () => {
      let c: Conformance;
      beforeAll(async () => {
        c = await startConformance(backend);
      });
      afterEach(() => {
        c.op.resetFaults();
        vi.useRealTimers();
      });
      afterAll(() => c?.close());

      /** Moves the clock of the backend and the OP past the JWKS refetch limit (60 s) since the last move. */
      let skew = 0;
      function afterTheRefetchLimit() {
        skew += 61_000;
        const now = Date.now();
        vi.useFakeTimers({ toFake: ['Date'] });
        vi.setSystemTime(now + skew);
      }

      it('oidcc-client-test-signing-key-rotation: after the OP rotates its key, fetches the JWKS again and accepts the new key', async () => {
        expectSignedIn((await signInAt(c)).frame);
        const before = c.op.stats.jwksRequests;
        c.op.rotateKeys({ keepOld: false });
        afterTheRefetchLimit();
        expectSignedIn((await signInAt(c)).frame);
        expectSignedIn((await signInAt(c)).frame);
        expect(c.op.stats.jwksRequests).toBe(before + 1);
      });

      it('oidcc-client-test-signing-key-rotation-just-before-signing: accepts an ID token signed by a key made just before signing', async () => {
        expectSignedIn((await signInAt(c)).frame);
        afterTheRefetchLimit();
        c.op.setFaults({
          idToken: ({ claims, sign }) => {
            c.op.rotateKeys({ keepOld: false });
            return sign(claims);
          },
        });
        expectSignedIn((await signInAt(c)).frame);
      });
    });
  });
}
