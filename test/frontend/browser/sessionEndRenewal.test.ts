/**
 * Two tabs and a renewal, with ID tokens that live long enough (7 minutes)
 * that core-app-api would not refresh on its own during the test (it refreshes
 * within 5 minutes of the expiry): after Renew in tab A, tab B's getIdToken()
 * (and the Kubernetes decorator) hand out the renewed token only because tab B
 * took the renewed session when A's broadcast arrived. The lead time (8
 * minutes) is longer than the first session's lifetime, so the warning shows
 * as soon as it starts, and shorter than the renewed one's (15 minutes), so
 * it goes after the renewal. Both frontend systems; real Chromium, the
 * example's legacy backend, the emulator. Last, Renew in an app configured
 * for the redirect flow: the page leaves for SpectroCloud and comes back.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { UI_TIMEOUT_MS, clickAccount, signInWithPopup, useBrowserHarness, verifyEmulatorIdToken, waitForPopupClosed, type TestPage } from './harness';
import { LEAD_TIME_S, RENEWED_TTL_S, TEST_TIMEOUT_MS, WARNING, useIdTokenLifetime } from './sessionEndLifetimes';
import { registerSecret } from '../../support/secrets';

const files = useBrowserHarness({ newSystemApp: true });
/** The lifetime of the ID tokens the emulator signs next. */
const ttl = useIdTokenLifetime(files);

const notice = (page: Page) => page.getByRole('alert');

type Reader = (page: Page) => Promise<string>;

const legacyIdToken: Reader = page => page.evaluate(() => window.spectro.getIdToken());
const newSystemIdToken: Reader = page => page.evaluate(() => window.spectroNew!.api.getIdToken());
/** The ID token the Kubernetes plugin would send for a cluster with `oidcTokenProvider: spectrocloud`. */
const kubernetesToken: Reader = async page => {
  const request = await page.evaluate(() => window.spectro.k8sDecorate({ name: 'edge', authProvider: 'oidc', oidcTokenProvider: 'spectrocloud' }));
  return (request.body.auth?.oidc as Record<string, string>).spectrocloud;
};

async function claimsOf(read: Reader, page: Page): Promise<{ token: string; iat: number; jti: string }> {
  const token = await read(page);
  registerSecret(token);
  const claims = verifyEmulatorIdToken(files.harness.emulator, token);
  expect(claims.email).toBe('alice@example.com');
  return { token, iat: Number(claims.iat), jti: String(claims.jti) };
}

/**
 * The `jti` of the token `read` hands out in `page` once it is `jti`: asked
 * again until then (no reload, no sign-in), UI_TIMEOUT_MS at most.
 */
async function waitForJti(read: Reader, page: Page, jti: string): Promise<void> {
  await expect.poll(async () => (await claimsOf(read, page)).jti, { timeout: UI_TIMEOUT_MS, interval: 250 }).toBe(jti);
}

/** Clicks Renew now in `page` and picks Alice again in the popup. */
async function renew(page: Page): Promise<void> {
  ttl.seconds = RENEWED_TTL_S;
  const popupOpened = page.waitForEvent('popup');
  await page.getByRole('button', { name: 'Renew now' }).click();
  const popup = await popupOpened;
  await clickAccount(popup, 'alice@example.com');
  await waitForPopupClosed(popup);
}

describe('a renewal in one tab reaches the other tabs at once (legacy frontend system)', () => {
  it(
    "after Renew in tab A, tab B's getIdToken() and Kubernetes decorator hand out the renewed token, without a reload",
    async () => {
      const tab: TestPage = await files.openTestPage();
      await tab.open(`?sessionEnd=${LEAD_TIME_S}`);
      await signInWithPopup(tab);
      const other = await tab.context.newPage();
      await other.goto(`${files.harness.testPageUrl}?sessionEnd=${LEAD_TIME_S}`, { waitUntil: 'load' });
      await other.waitForFunction(() => window.spectro?.ready === true);
      expect(await other.evaluate(async () => (await window.spectro.restoreSession())?.identity.userEntityRef)).toBe('user:default/alice');
      await other.evaluate(() => ((window as unknown as { keptPage: boolean }).keptPage = true));
      await notice(tab.page).filter({ hasText: WARNING }).waitFor();
      await notice(other).filter({ hasText: WARNING }).waitFor();
      const before = await claimsOf(legacyIdToken, other);
      expect((await kubernetesToken(other)) === before.token).toBe(true);

      await renew(tab.page);
      // The popup closes before tab A's auth API has taken its answer in: ask until it hands out the renewed token.
      await expect.poll(async () => (await claimsOf(legacyIdToken, tab.page)).jti, { timeout: UI_TIMEOUT_MS, interval: 250 }).not.toBe(before.jti);
      const renewed = await claimsOf(legacyIdToken, tab.page);

      await waitForJti(legacyIdToken, other, renewed.jti);
      const after = await claimsOf(legacyIdToken, other);
      expect(after.token === renewed.token, "tab B hands out tab A's renewed token").toBe(true);
      expect(after.iat).toBeGreaterThanOrEqual(before.iat);
      expect((await kubernetesToken(other)) === after.token, 'the Kubernetes decorator sends it too').toBe(true);
      await notice(other).waitFor({ state: 'detached' });
      // Tab B was not reloaded, and stayed signed in throughout.
      expect(await other.evaluate(() => (window as unknown as { keptPage?: boolean }).keptPage)).toBe(true);
      expect(await other.evaluate(() => [...new Set(window.spectro.sessionStates)])).toEqual(['SignedOut', 'SignedIn']);
    },
    TEST_TIMEOUT_MS,
  );
});

describe('two tabs on the new frontend system (spectroCloudSessionEndWarningModule)', () => {
  it(
    'warns both tabs; Renew in one drops the warning in both and tab B hands out the renewed token at once',
    async () => {
      const tab: TestPage = await files.openTestPage();
      const newSystemUrl = `${files.harness.testPageUrl.replace(/index\.html$/, 'new-system.html')}?sessionEnd=${LEAD_TIME_S}`;
      await tab.page.goto(newSystemUrl, { waitUntil: 'load' });
      await tab.page.waitForFunction(() => window.spectroNew?.ready === true);
      const popupOpened = tab.page.waitForEvent('popup');
      const signedIn = tab.page.evaluate(async () => (await window.spectroNew!.api.getBackstageIdentity({ instantPopup: true }))?.identity.userEntityRef);
      await clickAccount(await popupOpened, 'alice@example.com');
      expect(await signedIn).toBe('user:default/alice');

      const other = await tab.context.newPage();
      await other.goto(newSystemUrl, { waitUntil: 'load' });
      await other.waitForFunction(() => window.spectroNew?.ready === true);
      // As an app's sign-in page does on load: the session from the refresh cookie.
      expect(await other.evaluate(async () => (await window.spectroNew!.api.getBackstageIdentity({ optional: true }))?.identity.userEntityRef)).toBe('user:default/alice');
      await other.getByLabel('Unsaved notes').fill('notes in tab B');
      await notice(tab.page).filter({ hasText: WARNING }).waitFor();
      await notice(other).filter({ hasText: WARNING }).waitFor();
      const before = await claimsOf(newSystemIdToken, other);

      await renew(tab.page);
      await notice(tab.page).waitFor({ state: 'detached' });
      await notice(other).waitFor({ state: 'detached' });
      const renewed = await claimsOf(newSystemIdToken, tab.page);
      expect(renewed.jti).not.toBe(before.jti);

      await waitForJti(newSystemIdToken, other, renewed.jti);
      const after = await claimsOf(newSystemIdToken, other);
      expect(after.token === renewed.token, "tab B hands out tab A's renewed token").toBe(true);
      expect(await other.getByLabel('Unsaved notes').inputValue()).toBe('notes in tab B');
    },
    TEST_TIMEOUT_MS,
  );
});

describe('Renew through the redirect flow (an app with enableExperimentalRedirectFlow)', () => {
  it(
    'leaves for SpectroCloud and comes back to the same page (path, query, fragment), signed in with the renewed session and no warning',
    async () => {
      const tab: TestPage = await files.openTestPage();
      // Signed in first with the popup; then the app, configured for the redirect flow, is opened on a page with a fragment.
      await tab.open(`?sessionEnd=${LEAD_TIME_S}`);
      await signInWithPopup(tab);
      const pageUrl = `${files.harness.testPageUrl}?sessionEnd=${LEAD_TIME_S}&redirect=1#incident-42`;
      await tab.page.goto(pageUrl, { waitUntil: 'load' });
      await tab.page.waitForFunction(() => window.spectro?.ready === true);
      expect(await tab.page.evaluate(async () => (await window.spectro.restoreSession())?.identity.userEntityRef)).toBe('user:default/alice');
      await notice(tab.page).filter({ hasText: WARNING }).waitFor();
      const before = await claimsOf(legacyIdToken, tab.page);
      const popups = tab.popups.length;

      // The emulator shows its account list again (no SSO shortcut), as SpectroCloud would after its own session ended.
      await tab.forgetEmulatorSession();
      ttl.seconds = RENEWED_TTL_S;
      await tab.page.getByRole('button', { name: 'Renew now' }).click();
      await tab.page.waitForURL(url => url.href.startsWith(files.harness.emulator.issuer));
      await Promise.all([
        tab.page.waitForURL(pageUrl, { waitUntil: 'load' }),
        tab.page.click('button[data-email="alice@example.com"]'),
      ]);
      expect(tab.popups.length, 'no popup: the whole page went to SpectroCloud and back').toBe(popups);

      // The harness serves the test page through Playwright's routing (harness.ts), which does not see the last hop
      // of a redirect chain (the backend's 302 to the app): the example's app server answered it with a 404. The
      // browser is at the right URL with the cookies the redirect set; loading it again is the app server a deployed
      // app has (a plain navigation, which the routing serves).
      await tab.page.reload({ waitUntil: 'load' });
      // Back on the same page, a fresh load of the app: its session is the renewed one, far from its end.
      await tab.page.waitForFunction(() => window.spectro?.ready === true);
      expect(await tab.page.evaluate(async () => (await window.spectro.restoreSession())?.identity.userEntityRef)).toBe('user:default/alice');
      const after = await claimsOf(legacyIdToken, tab.page);
      expect(after.jti).not.toBe(before.jti);
      expect(after.iat).toBeGreaterThanOrEqual(before.iat);
      await expect(notice(tab.page).count()).resolves.toBe(0);
      // What a redirect cannot keep: the page was loaded again, so unsaved input is gone (documented in docs/frontend.md).
      expect(await tab.page.inputValue('#notes')).toBe('');
    },
    TEST_TIMEOUT_MS,
  );
});
