import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_APP_URL, logout } from '../support/spectroFixture';
import type { ConformanceBackend } from './backends';
import { expectSignedIn, refreshAt, signInAt, site, startConformance, type Conformance } from './harness';

/*
 * The OpenID Foundation's RP-initiated logout plan (oidcc-client-rp-initiated-logout-rp-basic):
 * with `signOutOfSpectroCloud: true` the provider hands the app the OP's
 * end_session_endpoint with id_token_hint, client_id and post_logout_redirect_uri.
 */
export function rpInitiatedLogout(backend: ConformanceBackend): void {
  describe('RP-initiated logout', () => {
    let c: Conformance;
    beforeAll(async () => {
      c = await startConformance(backend, { environment: { signOutOfSpectroCloud: true } });
    });
    afterAll(() => c?.close());

    // The URL is read from /refresh, as the frontend does (src/frontend/endSession.ts) just before POST /logout.
    it('oidcc-client-test-rp-init-logout: ends the session at the OP with id_token_hint and returns to post_logout_redirect_uri', async () => {
      const { jar, frame } = await signInAt(c);
      expectSignedIn(frame);
      const refreshed = await refreshAt(c, jar);
      expect(refreshed.status).toBe(200);
      const { idToken, endSessionUrl } = refreshed.body.providerInfo;
      const url = new URL(endSessionUrl);
      expect(`${url.origin}${url.pathname}`).toBe(c.op.endSessionUrl);
      expect(Object.fromEntries(url.searchParams)).toEqual({ id_token_hint: idToken, post_logout_redirect_uri: DEFAULT_APP_URL, client_id: 'backstage-test-client' });

      // Backstage's sign-out first, then the browser goes to the OP, which sends it back to the app.
      expect((await logout(site(c), jar)).status).toBe(200);
      const before = c.op.stats.endSessionRequests;
      const atOp = await fetch(endSessionUrl, { redirect: 'manual' });
      expect(atOp.status).toBe(302);
      expect(new URL(atOp.headers.get('location')!).origin + new URL(atOp.headers.get('location')!).pathname).toBe(`${DEFAULT_APP_URL}/`);
      expect(c.op.stats.endSessionRequests).toBe(before + 1);
      expect((await refreshAt(c, jar)).status).toBe(401);
    });
  });
}
