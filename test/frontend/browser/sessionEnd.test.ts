/**
 * The session-end warning of the legacy frontend system (`<SpectroCloudSessionEndWarning />`
 * inside the app's API provider) in real headless Chromium, against the example's
 * legacy backend and the emulator, with two tabs of one browser (shared cookies,
 * BroadcastChannel, localStorage). SpectroCloud has no refresh grant, so the ID
 * token's expiry ends the session: the emulator signs ID tokens that live
 * ID_TOKEN_TTL_S seconds, and the page warns LEAD_TIME_S seconds ahead.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  UI_TIMEOUT_MS,
  clickAccount,
  dedupe,
  signInWithPopup,
  useBrowserHarness,
  verifyEmulatorIdToken,
  waitForPopupClosed,
  type TestPage,
} from './harness';
import { registerSecret } from '../../support/secrets';

const ID_TOKEN_TTL_S = 60;
const LEAD_TIME_S = 30;
/** The emulator, the backend and the page each round to whole seconds. */
const SLACK_MS = 3_000;
const TEST_TIMEOUT_MS = 180_000;
const WARNING = /Your SpectroCloud session ends at/;
const ENDED = 'Your SpectroCloud session ended: sign in again.';

const files = useBrowserHarness({ newSystemApp: true });

beforeAll(() => {
  files.harness.emulator.setFaults({ idToken: ({ claims, sign }) => sign({ ...claims, exp: Number(claims.iat) + ID_TOKEN_TTL_S }) });
});
afterAll(() => files.harness.emulator.resetFaults());

/** The test page with the warning mounted; `signIn` signs Alice in through the popup. */
async function firstTab(): Promise<TestPage> {
  const tab = await files.openTestPage();
  await tab.open(`?sessionEnd=${LEAD_TIME_S}`);
  return tab;
}

/** A second tab of the same browser profile, which picks the session up from the refresh cookie. */
async function secondTab(first: TestPage): Promise<Page> {
  const page = await first.context.newPage();
  await page.goto(`${files.harness.testPageUrl}?sessionEnd=${LEAD_TIME_S}`, { waitUntil: 'load' });
  await page.waitForFunction(() => window.spectro?.ready === true);
  expect(await page.evaluate(async () => (await window.spectro.restoreSession())?.identity.userEntityRef)).toBe('user:default/alice');
  return page;
}

const notice = (page: Page) => page.getByRole('alert');

async function idTokenOf(page: Page): Promise<string> {
  const token = await page.evaluate(() => window.spectro.getIdToken());
  registerSecret(token);
  return token;
}

/** The ID token the Kubernetes plugin would send for a cluster with `oidcTokenProvider: spectrocloud`. */
async function kubernetesTokenOf(page: Page): Promise<string> {
  const request = await page.evaluate(() =>
    window.spectro.k8sDecorate({ name: 'edge', authProvider: 'oidc', oidcTokenProvider: 'spectrocloud' }),
  );
  const token = (request.body.auth?.oidc as Record<string, string>).spectrocloud;
  registerSecret(token);
  return token;
}

/** The new frontend system's app (test/frontend/app/newSystem.ts) in a fresh browser profile. */
async function newSystemTab(): Promise<TestPage> {
  const tab = await files.openTestPage();
  await tab.page.goto(`${files.harness.testPageUrl.replace(/index\.html$/, 'new-system.html')}?sessionEnd=${LEAD_TIME_S}`, { waitUntil: 'load' });
  await tab.page.waitForFunction(() => window.spectroNew?.ready === true);
  return tab;
}

describe('the session-end warning in Chromium (new frontend system: spectroCloudSessionEndWarningModule)', () => {
  it(
    'warns ahead of the end and renews in place: the app keeps its page and input, getIdToken() hands out the new token',
    async () => {
      const tab = await newSystemTab();
      const signedInAt = Date.now();
      const popupOpened = tab.page.waitForEvent('popup');
      const signedIn = tab.page.evaluate(async () => (await window.spectroNew!.api.getBackstageIdentity({ instantPopup: true }))?.identity.userEntityRef);
      const popup = await popupOpened;
      await clickAccount(popup, 'alice@example.com');
      expect(await signedIn).toBe('user:default/alice');
      await tab.page.getByLabel('Unsaved notes').fill('draft runbook step');

      await notice(tab.page).filter({ hasText: WARNING }).waitFor({ timeout: ID_TOKEN_TTL_S * 1000 });
      expect(Date.now(), 'not before the lead time').toBeGreaterThanOrEqual(signedInAt + (ID_TOKEN_TTL_S - LEAD_TIME_S) * 1000 - SLACK_MS);
      const before = await tab.page.evaluate(() => window.spectroNew!.api.getIdToken());
      registerSecret(before);

      const renewPopupOpened = tab.page.waitForEvent('popup');
      await tab.page.getByRole('button', { name: 'Renew now' }).click();
      const renewPopup = await renewPopupOpened;
      await clickAccount(renewPopup, 'alice@example.com');
      await waitForPopupClosed(renewPopup);
      await notice(tab.page).waitFor({ state: 'detached' });

      expect(await tab.page.getByLabel('Unsaved notes').inputValue()).toBe('draft runbook step');
      const after = await tab.page.evaluate(() => window.spectroNew!.api.getIdToken());
      registerSecret(after);
      expect(after).not.toBe(before);
      expect(verifyEmulatorIdToken(files.harness.emulator, after).email).toBe('alice@example.com');
    },
    TEST_TIMEOUT_MS,
  );
});

describe('the session-end warning in Chromium (legacy frontend system, two tabs)', () => {
  it(
    'warns both tabs ahead of the end, renews in place in one (page state kept, new ID token for Kubernetes) and the other follows',
    async () => {
      const tab = await firstTab();
      const signedInAt = Date.now();
      await signInWithPopup(tab);
      const other = await secondTab(tab);
      // Far from the end: nothing shown.
      await expect(notice(tab.page).count()).resolves.toBe(0);
      await tab.page.fill('#notes', 'half-written incident note');
      await tab.page.evaluate(() => ((window as unknown as { keptPage: boolean }).keptPage = true));

      await notice(tab.page).filter({ hasText: WARNING }).waitFor({ timeout: ID_TOKEN_TTL_S * 1000 });
      expect(Date.now(), 'not before the lead time').toBeGreaterThanOrEqual(signedInAt + (ID_TOKEN_TTL_S - LEAD_TIME_S) * 1000 - SLACK_MS);
      await notice(other).filter({ hasText: WARNING }).waitFor();
      const before = await idTokenOf(tab.page);

      // Renew now: the popup, from the click; Alice again.
      const popupOpened = tab.page.waitForEvent('popup');
      await tab.page.getByRole('button', { name: 'Renew now' }).click();
      const popup = await popupOpened;
      await clickAccount(popup, 'alice@example.com');
      await waitForPopupClosed(popup);

      // Both tabs drop the warning: the renewed session ends later.
      await notice(tab.page).waitFor({ state: 'detached' });
      await notice(other).waitFor({ state: 'detached' });
      // The page was not reloaded: its state and unsaved input are still there.
      expect(await tab.page.inputValue('#notes')).toBe('half-written incident note');
      expect(await tab.page.evaluate(() => (window as unknown as { keptPage?: boolean }).keptPage)).toBe(true);
      // getIdToken() callers (the Kubernetes plugin) get the renewed token, in both tabs.
      const after = await idTokenOf(tab.page);
      expect(after).not.toBe(before);
      expect(verifyEmulatorIdToken(files.harness.emulator, after).email).toBe('alice@example.com');
      expect(await kubernetesTokenOf(tab.page)).toBe(after);
      expect(await kubernetesTokenOf(other)).toBe(after);
      // ...and the app never went through a signed-out state on the way.
      expect(dedupe(await tab.page.evaluate(() => [...window.spectro.sessionStates]))).toEqual(['SignedOut', 'SignedIn']);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'dismissing in one tab (keyboard) dismisses in all, for good; at the end both tabs show the final notice',
    async () => {
      const tab = await firstTab();
      await signInWithPopup(tab);
      const other = await secondTab(tab);
      await notice(tab.page).filter({ hasText: WARNING }).waitFor({ timeout: ID_TOKEN_TTL_S * 1000 });
      await notice(other).filter({ hasText: WARNING }).waitFor();

      await tab.page.getByRole('button', { name: 'Dismiss' }).focus();
      await tab.page.keyboard.press('Enter');
      await notice(tab.page).waitFor({ state: 'detached' });
      await notice(other).waitFor({ state: 'detached' });
      // A tab opened after the decision keeps it.
      const third = await secondTab(tab);

      for (const page of [tab.page, other, third]) {
        await notice(page).filter({ hasText: ENDED }).waitFor({ timeout: ID_TOKEN_TTL_S * 1000 });
      }
      expect(await notice(tab.page).getByRole('button', { name: 'Sign in again' }).isEnabled()).toBe(true);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'refuses a renewal as another user (ERR_REAUTH_USER_CHANGED): the app is signed out and says why',
    async () => {
      const tab = await firstTab();
      await signInWithPopup(tab);
      await notice(tab.page).filter({ hasText: WARNING }).waitFor({ timeout: ID_TOKEN_TTL_S * 1000 });
      await tab.forgetEmulatorSession();
      const popupOpened = tab.page.waitForEvent('popup');
      await tab.page.getByRole('button', { name: 'Renew now' }).click();
      const popup = await popupOpened;
      expect(await clickAccount(popup, 'bob@example.com')).toBe(true);

      await notice(tab.page).filter({ hasText: ENDED }).waitFor({ timeout: UI_TIMEOUT_MS });
      await expect(notice(tab.page).getByRole('status').textContent()).resolves.toMatch(/another user, so you were signed out/);
      expect(await tab.page.evaluate(async () => (await window.spectro.restoreSession())?.identity.userEntityRef)).toBeUndefined();
    },
    TEST_TIMEOUT_MS,
  );
});
