import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ConformanceBackend } from './backends';
import { expectRefused, expectSignedIn, signInAt, startConformance, type Conformance } from './harness';

/*
 * RFC 9207 (authorization server issuer identification) through the real
 * callback: not an OpenID Foundation module, the mix-up defence of RFC 9700
 * section 4.4 on top of distinct callback URLs.
 */
export function issuerIdentification(backend: ConformanceBackend): void {
  describe('RFC 9207 issuer identification', () => {
    let c: Conformance;
    beforeAll(async () => {
      c = await startConformance(backend, { op: { authorizationResponseIss: true } });
    });
    afterEach(() => c.op.resetFaults());
    afterAll(() => c?.close());

    it('accepts an authorization response whose iss is the issuer the sign-in was sent to', async () => {
      expectSignedIn((await signInAt(c)).frame);
    });

    it('refuses an iss naming another issuer before redeeming the code', async () => {
      c.op.setFaults({ authorizationResponseIss: 'https://console.example.com/v1/oidc/tenant/another-tenant' });
      const before = c.op.stats.tokenRequests;
      const { frame } = await signInAt(c);
      expectRefused(c, frame, 'ERR_AUTHORIZATION_RESPONSE_ISSUER');
      expect(frame.message.error?.message).toContain('names another issuer');
      expect(c.op.stats.tokenRequests).toBe(before);
    });

    it('refuses a missing iss when discovery says authorization_response_iss_parameter_supported', async () => {
      c.op.setFaults({ omitAuthorizationResponseIss: true });
      const { frame } = await signInAt(c);
      expectRefused(c, frame, 'ERR_AUTHORIZATION_RESPONSE_ISSUER');
      expect(frame.message.error?.message).toContain('carries no "iss"');
    });

    it('refuses a wrong iss on an error response too', async () => {
      c.op.setFaults({ deny: true, authorizationResponseIss: 'https://evil.example.com' });
      expectRefused(c, (await signInAt(c)).frame, 'ERR_AUTHORIZATION_RESPONSE_ISSUER');
    });
  });
}
