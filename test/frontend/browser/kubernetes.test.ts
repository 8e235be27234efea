/**
 * The Kubernetes auth providers in real headless Chromium: a cluster with
 * `authProvider: oidc, oidcTokenProvider: spectrocloud` gets the user's RS256
 * ID token, never SpectroCloud's HS256 session token.
 */
import { describe, expect, it } from 'vitest';
import { registerSecret } from '../../support/secrets';
import {
  jwtHeader,
  signInWithPopup,
  useBrowserHarness,
  verifyEmulatorIdToken,
  waitForConsole,
  type TestPage,
} from './harness';

const TEST_TIMEOUT_MS = 90_000;
const ALICE = 'user:default/alice';

const files = useBrowserHarness();

async function signedInPage(): Promise<TestPage> {
  const testPage = await files.openTestPage();
  await signInWithPopup(testPage);
  return testPage;
}

/** The HS256 session token the backend keeps for Alice (it must never reach a cluster). */
async function aliceSessionToken(): Promise<string> {
  const session = await files.harness.example.paletteTokens.forUser(ALICE);
  if (!session) throw new Error('the backend holds no SpectroCloud session token for Alice after her sign-in');
  registerSecret(session.sessionToken);
  return session.sessionToken;
}

describe('Kubernetes auth providers in Chromium', () => {
  it('an oidc/spectrocloud cluster gets "Authorization: Bearer <RS256 ID token>", never the HS256 session token', async () => {
    const page = await signedInPage();
    const idToken = await page.page.evaluate(() => window.spectro.getIdToken());
    registerSecret(idToken);
    const sessionToken = await aliceSessionToken();

    const request = await page.page.evaluate(() =>
      window.spectro.k8sDecorate({ name: 'c1', authProvider: 'oidc', oidcTokenProvider: 'spectrocloud' }),
    );

    expect(request.headers).toEqual({ Authorization: `Bearer ${idToken}` });
    expect((request.body.auth?.oidc as Record<string, string> | undefined)?.spectrocloud).toBe(idToken);
    expect(jwtHeader(idToken).alg).toBe('RS256');
    expect(verifyEmulatorIdToken(files.harness.emulator, idToken).email).toBe('alice@example.com');
    // The session token exists, is the HS256 one, and appears nowhere in what the cluster gets.
    expect(jwtHeader(sessionToken).alg).toBe('HS256');
    expect(JSON.stringify(request)).not.toContain(sessionToken);
  }, TEST_TIMEOUT_MS);

  it('a cluster with another auth provider gets no SpectroCloud token at all', async () => {
    const page = await signedInPage();
    const idToken = await page.page.evaluate(() => window.spectro.getIdToken());
    registerSecret(idToken);
    const sessionToken = await aliceSessionToken();

    const request = await page.page.evaluate(() => window.spectro.k8sDecorate({ name: 'c2', authProvider: 'serviceAccount' }));

    expect(request.headers).toEqual({});
    const sent = JSON.stringify(request);
    expect(sent).not.toContain(idToken);
    expect(sent).not.toContain(sessionToken);
  }, TEST_TIMEOUT_MS);

  it('the page builds a client and a Kubernetes provider for a second provider id (?tenants=)', async () => {
    const page = await files.openTestPage();
    await page.open('?tenants=spectrocloud-eu');
    const refresh = page.page.waitForRequest(request => new URL(request.url()).pathname === '/api/auth/spectrocloud-eu/refresh');
    // This backend has no spectrocloud-eu provider: the session recovery finds nothing, and says so quietly.
    expect(await page.page.evaluate(() => window.spectro.tenant('spectrocloud-eu').restoreSession())).toBeUndefined();
    await refresh;
    // Its Kubernetes provider asks that tenant's client, which (signed out) queues a sign-in for spectrocloud-eu.
    const queued = waitForConsole(page.page, 'spectro:login-requests spectrocloud-eu');
    const decorating = page.page.evaluate(() =>
      window.spectro
        .k8sDecorate({ name: 'eu', authProvider: 'oidc', oidcTokenProvider: 'spectrocloud-eu' })
        .then(() => 'decorated', (e: Error) => e.name),
    );
    await queued;
    await page.page.locator('#login-reject-all').click();
    expect(await decorating).toBe('RejectedError');
  }, TEST_TIMEOUT_MS);
});
