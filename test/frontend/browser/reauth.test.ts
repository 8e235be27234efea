/**
 * The re-authenticating fetch wrapper in real headless Chromium, against the
 * example's backend plugin (`/api/spectrocloud/whoami`, behind the session-token
 * middleware). The server "loses" Alice's SpectroCloud session token the way a
 * restart or an eviction would: the test drops it from the process-default
 * cache, which the example (running in this process) uses.
 */
import { describe, expect, it } from 'vitest';
import {
  UI_TIMEOUT_MS,
  clickAccount,
  dedupe,
  signInWithPopup,
  useBrowserHarness,
  waitForPopupClosed,
  type TestPage,
} from './harness';

const TEST_TIMEOUT_MS = 90_000;
const ALICE = { userEntityRef: 'user:default/alice', email: 'alice@example.com' };

const files = useBrowserHarness();

/** Signs Alice in and returns her Backstage token (registered as a secret). */
async function signedInPage(): Promise<{ page: TestPage; backstageToken: string }> {
  const testPage = await files.openTestPage();
  const { token } = await signInWithPopup(testPage);
  return { page: testPage, backstageToken: token };
}

/** The server forgets Alice's SpectroCloud session token; the Backstage session stays valid. */
async function loseSessionToken(): Promise<void> {
  const cache = files.harness.example.sessionTokens;
  expect(await cache.forUser(ALICE.userEntityRef), 'Alice has a session token before it is dropped').toBeDefined();
  await cache.forget(ALICE);
}

function whoami(page: TestPage, backstageToken: string) {
  return page.page.evaluate(
    ({ token }) =>
      window.spectro.reauthFetch(`${window.spectro.backendBaseUrl}/api/spectrocloud/whoami`, {
        headers: { Authorization: `Bearer ${token}` },
      }),
    { token: backstageToken },
  );
}

const reauthEvents = (page: TestPage) => page.page.evaluate(() => window.spectro.reauthEvents.map(event => event.url));

describe('re-authenticating fetch in Chromium', () => {
  it('renews the lost SpectroCloud session with one popup sign-in and retries the request once', async () => {
    const { page, backstageToken } = await signedInPage();
    const before = await whoami(page, backstageToken);
    expect(before).toMatchObject({ status: 200, reauthRequired: false });

    await loseSessionToken();
    // Without the emulator's SSO cookie, the renewal shows the account list: the user clicks Alice.
    await page.forgetEmulatorSession();
    const popupEvent = page.page.waitForEvent('popup', { timeout: UI_TIMEOUT_MS });
    const fetching = whoami(page, backstageToken);
    const popup = await popupEvent;
    expect(await clickAccount(popup, ALICE.email)).toBe(true);
    await waitForPopupClosed(popup);
    const result = await fetching;

    expect(result).toMatchObject({ status: 200, ok: true, reauthRequired: false });
    expect('text' in result && JSON.parse(result.text)).toMatchObject({ userEntityRef: ALICE.userEntityRef, source: 'user-session' });
    expect(await reauthEvents(page)).toEqual([`${files.harness.example.backendUrl}/api/spectrocloud/whoami`]);
    // The first sign-in and exactly one renewal.
    expect(page.popups).toHaveLength(2);
    expect(await files.harness.example.sessionTokens.forUser(ALICE.userEntityRef), 'the renewal stored a new session token').toBeDefined();
  }, TEST_TIMEOUT_MS);

  it('gives up cleanly with ERR_REAUTH_POPUP_CLOSED when the user closes the renewal popup', async () => {
    const { page, backstageToken } = await signedInPage();
    await loseSessionToken();
    await page.forgetEmulatorSession();

    const popupEvent = page.page.waitForEvent('popup', { timeout: UI_TIMEOUT_MS });
    const fetching = whoami(page, backstageToken);
    const popup = await popupEvent;
    // The user sees the account list, then closes the window instead.
    await popup.locator(`button[data-email="${ALICE.email}"]`).waitFor({ state: 'visible' });
    await popup.close();
    const result = await fetching;
    // A second popup would open right after the first failed; give it time to show up.
    await page.page.waitForTimeout(1_000);

    expect(result).toEqual({
      error: {
        name: 'SpectroCloudReAuthError',
        code: 'ERR_REAUTH_POPUP_CLOSED',
        message: 'SpectroCloud re-authentication failed: the sign-in popup was closed before the sign-in finished',
      },
    });
    expect(await reauthEvents(page)).toHaveLength(1);
    expect(page.popups).toHaveLength(2);
    expect(await files.harness.example.sessionTokens.forUser(ALICE.userEntityRef)).toBeUndefined();
    // The wrapper ends the expired session before the popup opens (reauth.ts), so the app is signed out now.
    expect(dedupe(await page.page.evaluate(() => [...window.spectro.sessionStates]))).toEqual(['SignedOut', 'SignedIn', 'SignedOut']);
  }, TEST_TIMEOUT_MS);
});
