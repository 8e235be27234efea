/**
 * A renewal through the redirect flow reaches the app's other tabs, as a popup
 * renewal does (issue 28): tab A's page leaves for SpectroCloud and comes
 * back; at that load, A tells the other tabs, and tab B, without a reload,
 * hands out A's renewed ID token (getIdToken() and the Kubernetes decorator)
 * and drops its warning. ID tokens live 7 minutes first, so core-app-api would
 * not refresh tab B on its own during the test (it refreshes within 5 minutes
 * of the expiry), and the lead time (8 minutes) shows the warning at once.
 * Real Chromium, the example's legacy backend, the emulator.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { UI_TIMEOUT_MS, signInWithPopup, useBrowserHarness, verifyEmulatorIdToken, type TestPage } from './harness';
import { LEAD_TIME_S, RENEWED_TTL_S, TEST_TIMEOUT_MS, WARNING, useIdTokenLifetime } from './sessionEndLifetimes';
import { registerSecret } from '../../support/secrets';

const files = useBrowserHarness();
/** The lifetime of the ID tokens the emulator signs next. */
const ttl = useIdTokenLifetime(files);

const notice = (page: Page) => page.getByRole('alert');
const idToken = (page: Page) => page.evaluate(() => window.spectro.getIdToken());
const kubernetesToken = async (page: Page) => {
  const request = await page.evaluate(() => window.spectro.k8sDecorate({ name: 'edge', authProvider: 'oidc', oidcTokenProvider: 'spectrocloud' }));
  return (request.body.auth?.oidc as Record<string, string>).spectrocloud;
};

async function jtiOf(page: Page): Promise<string> {
  const token = await idToken(page);
  registerSecret(token);
  const claims = verifyEmulatorIdToken(files.harness.emulator, token);
  expect(claims.email).toBe('alice@example.com');
  return String(claims.jti);
}

/** Opens the app (configured for the redirect flow) in `page` and takes the session from the refresh cookie, as a sign-in page does on load. */
async function openSignedIn(page: Page, url: string): Promise<void> {
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction(() => window.spectro?.ready === true);
  expect(await page.evaluate(async () => (await window.spectro.restoreSession())?.identity.userEntityRef)).toBe('user:default/alice');
}

describe('a renewal through the redirect flow reaches the other tabs (enableExperimentalRedirectFlow)', () => {
  it(
    "after Renew in tab A (to SpectroCloud and back), tab B hands out A's renewed token and drops its warning, without a reload",
    async () => {
      const tab: TestPage = await files.openTestPage();
      // Signed in first with the popup; then both tabs open the app configured for the redirect flow.
      await tab.open(`?sessionEnd=${LEAD_TIME_S}`);
      await signInWithPopup(tab);
      const pageUrl = `${files.harness.testPageUrl}?sessionEnd=${LEAD_TIME_S}&redirect=1#incident-42`;
      await openSignedIn(tab.page, pageUrl);
      const other = await tab.context.newPage();
      await openSignedIn(other, pageUrl);
      await other.evaluate(() => ((window as unknown as { keptPage: boolean }).keptPage = true));
      await other.fill('#notes', 'notes in tab B');
      await notice(tab.page).filter({ hasText: WARNING }).waitFor();
      await notice(other).filter({ hasText: WARNING }).waitFor();
      const before = await jtiOf(other);

      // The emulator shows its account list again (no SSO shortcut), as SpectroCloud would after its own session ended.
      await tab.forgetEmulatorSession();
      ttl.seconds = RENEWED_TTL_S;
      await tab.page.getByRole('button', { name: 'Renew now' }).click();
      await tab.page.waitForURL(url => url.href.startsWith(files.harness.emulator.issuer));
      await Promise.all([tab.page.waitForURL(pageUrl, { waitUntil: 'load' }), tab.page.click('button[data-email="alice@example.com"]')]);
      // As in sessionEndRenewal.test.ts: Playwright's routing misses the last hop of the redirect chain, so the page is
      // loaded again at the URL the browser is at, with the cookies the redirect set (what a deployed app server answers).
      await tab.page.reload({ waitUntil: 'load' });
      await openSignedIn(tab.page, pageUrl);
      const renewed = await jtiOf(tab.page);
      expect(renewed).not.toBe(before);

      // Tab B: the renewed session at once, not at core-app-api's next routine refresh (minutes away).
      await expect.poll(() => jtiOf(other), { timeout: UI_TIMEOUT_MS, interval: 250 }).toBe(renewed);
      expect((await kubernetesToken(other)) === (await idToken(other)), 'the Kubernetes decorator sends it too').toBe(true);
      await notice(other).waitFor({ state: 'detached' });
      // Tab B was not reloaded and stayed signed in throughout; its unsaved input is still there.
      expect(await other.evaluate(() => (window as unknown as { keptPage?: boolean }).keptPage)).toBe(true);
      expect(await other.evaluate(() => [...new Set(window.spectro.sessionStates)])).toEqual(['SignedOut', 'SignedIn']);
      expect(await other.inputValue('#notes')).toBe('notes in tab B');
      await expect(notice(tab.page).count()).resolves.toBe(0);
    },
    TEST_TIMEOUT_MS,
  );
});
