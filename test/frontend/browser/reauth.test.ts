/**
 * The re-authenticating fetch wrapper in real headless Chromium, against the
 * example's backend plugin (`/api/spectrocloud/whoami`, behind the session-token
 * middleware). The server "loses" Alice's SpectroCloud session token the way a
 * restart or an eviction would: the test drops it from the cache the example
 * builds and hands to its provider and plugin (`RunningExample.paletteTokens`).
 */
import { describe, expect, it } from 'vitest';
import {
  UI_TIMEOUT_MS,
  backstageIdentity,
  clickAccount,
  dedupe,
  signInWithPopup,
  useBrowserHarness,
  waitForConsole,
  verifyEmulatorIdToken,
  waitForPopupClosed,
  type TestPage,
} from './harness';
import { registerSecret } from '../../support/secrets';

const TEST_TIMEOUT_MS = 90_000;
const ALICE = { userEntityRef: 'user:default/alice', email: 'alice@example.com' };
const BOB = { userEntityRef: 'user:default/bob', email: 'bob@example.com' };

/** The ID token the app hands out (e.g. to Kubernetes), registered as a secret. */
async function idToken(page: TestPage): Promise<string> {
  const token = await page.page.evaluate(() => window.spectro.getIdToken());
  registerSecret(token);
  return token;
}

/** What the app holds before a renewal: its Backstage token and ID token. */
async function appSession(page: TestPage) {
  return { backstage: await backstageIdentity(page), idToken: await idToken(page) };
}

/** After a renewal for the same user: the app holds the renewed session, and never signed out on the way. */
async function expectRenewedSession(page: TestPage, before: Awaited<ReturnType<typeof appSession>>) {
  const after = await appSession(page);
  expect(after.backstage?.userEntityRef).toBe(ALICE.userEntityRef);
  expect(after.backstage?.token, 'a new Backstage token').not.toBe(before.backstage?.token);
  expect(after.idToken, 'a new ID token').not.toBe(before.idToken);
  expect(verifyEmulatorIdToken(files.harness.emulator, after.idToken).email).toBe(ALICE.email);
  expect(dedupe(await page.page.evaluate(() => [...window.spectro.sessionStates]))).toEqual(['SignedOut', 'SignedIn']);
}

const files = useBrowserHarness();
/** The token store of the example backend (one place to change when the example hands its store on). */
const paletteTokens = () => files.harness.example.paletteTokens;

/** Signs Alice in and returns her Backstage token (registered as a secret). */
async function signedInPage(): Promise<{ page: TestPage; backstageToken: string }> {
  const testPage = await files.openTestPage();
  const { token } = await signInWithPopup(testPage);
  return { page: testPage, backstageToken: token };
}

/** The server forgets Alice's SpectroCloud session token; the Backstage session stays valid. */
async function loseSessionToken(): Promise<void> {
  const cache = paletteTokens();
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
    const sessionBefore = await appSession(page);

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
    expect(await paletteTokens().forUser(ALICE.userEntityRef), 'the renewal stored a new session token').toBeDefined();
    await expectRenewedSession(page, sessionBefore);
  }, TEST_TIMEOUT_MS);

  it('a renewal that signs in as someone else signs the app out: nothing of either session is left', async () => {
    const { page, backstageToken } = await signedInPage();
    await loseSessionToken();
    await page.forgetEmulatorSession();
    const popupEvent = page.page.waitForEvent('popup', { timeout: UI_TIMEOUT_MS });
    const fetching = whoami(page, backstageToken);
    const popup = await popupEvent;
    expect(await clickAccount(popup, BOB.email)).toBe(true);
    await waitForPopupClosed(popup);
    const result = await fetching;

    expect(result).toMatchObject({ error: { name: 'SpectroCloudReAuthError', code: 'ERR_REAUTH_USER_CHANGED' } });
    // The app holds no one, and the sign-out ended the backend's session (now Bob's) as well.
    expect(dedupe(await page.page.evaluate(() => [...window.spectro.sessionStates]))).toEqual(['SignedOut', 'SignedIn', 'SignedOut']);
    expect(await backstageIdentity(page)).toBeUndefined();
    expect(await page.page.evaluate(async () => (await window.spectro.restoreSession()) ?? null)).toBeNull();
    expect(await paletteTokens().forUser(BOB.userEntityRef)).toBeUndefined();
    expect(await paletteTokens().forUser(ALICE.userEntityRef)).toBeUndefined();
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
    expect(await paletteTokens().forUser(ALICE.userEntityRef)).toBeUndefined();
    // The new sign-in ran beside the session: closing it left Alice signed in, with the same identity.
    expect(dedupe(await page.page.evaluate(() => [...window.spectro.sessionStates]))).toEqual(['SignedOut', 'SignedIn']);
    expect((await backstageIdentity(page))?.userEntityRef).toBe(ALICE.userEntityRef);
  }, TEST_TIMEOUT_MS);
});

/**
 * A Backstage-style page (APIs from factories via ApiResolver, the stock auth
 * APIs, fetchApi with the re-auth middleware, a login-request dialog over the
 * real OAuthRequestManager) that loads its data when opened: no click is
 * behind that fetch, and Chromium's popup blocker is on.
 */
describe('re-authentication from a data-loading fetch in a Backstage-style page', () => {
  const dialogButton = (page: TestPage) => page.page.locator('button[data-login-provider="spectrocloud"]');
  const loads = (page: TestPage) => page.page.evaluate(() => [...window.spectro.loads]);

  /**
   * Alice signed in; the server lost her session token; the page is opened
   * again and loads whoami by itself. Returns once the page queued the sign-in
   * in its dialog, without having touched the page before (see openUntouched).
   */
  async function openWithLostSessionToken(): Promise<TestPage> {
    const { page } = await signedInPage();
    await loseSessionToken();
    await page.forgetEmulatorSession();
    const queued = waitForConsole(page.page, 'spectro:login-requests spectrocloud');
    await page.openUntouched('?load=whoami');
    await queued;
    return page;
  }

  it('has the popup blocker on: a window.open with no click behind it gets no window', async () => {
    const page = await files.openTestPage();
    await page.openUntouched('?probe=popup');
    await page.page.waitForFunction(() => window.spectro?.ready === true);
    expect(await page.page.evaluate(() => window.spectro.popupProbe)).toEqual({ opened: false });
    expect(page.popups).toHaveLength(0);
  }, TEST_TIMEOUT_MS);

  it("queues the sign-in in the login dialog; the dialog's sign-in renews the session and the load is retried", async () => {
    const page = await openWithLostSessionToken();
    const sessionBefore = await appSession(page);

    // The instant popup was blocked: the request waits in the dialog, the load waits for it.
    await dialogButton(page).waitFor({ state: 'visible' });
    expect(page.popups).toHaveLength(1);
    expect(await loads(page)).toEqual([]);
    expect(await page.page.evaluate(() => window.spectro.authRequests.at(-1))).toEqual(['spectrocloud']);

    // The user clicks "Log in" in the dialog, and signs in in the popup that click opened.
    const popupEvent = page.page.waitForEvent('popup', { timeout: UI_TIMEOUT_MS });
    await dialogButton(page).click();
    const popup = await popupEvent;
    expect(await clickAccount(popup, ALICE.email)).toBe(true);
    await waitForPopupClosed(popup);
    await page.page.waitForFunction(() => window.spectro.loads.length > 0, undefined, { timeout: UI_TIMEOUT_MS });

    const [result] = await loads(page);
    expect(result).toMatchObject({ status: 200, ok: true, reauthRequired: false });
    expect('text' in result && JSON.parse(result.text)).toMatchObject({ userEntityRef: ALICE.userEntityRef, source: 'user-session' });
    expect(await page.page.evaluate(() => window.spectro.authRequests.at(-1))).toEqual([]);
    expect(await paletteTokens().forUser(ALICE.userEntityRef), 'the renewal stored a new session token').toBeDefined();
    // Never signed out on the way, and the app now holds the renewed session.
    await expectRenewedSession(page, sessionBefore);
    expect(page.popups).toHaveLength(2);
  }, TEST_TIMEOUT_MS);

  it('keeps the user signed in as before when they dismiss the login dialog', async () => {
    const page = await openWithLostSessionToken();
    await dialogButton(page).waitFor({ state: 'visible' });
    const before = await backstageIdentity(page);

    await page.page.locator('#login-reject-all').click();
    await page.page.waitForFunction(() => window.spectro.loads.length > 0, undefined, { timeout: UI_TIMEOUT_MS });

    expect(await loads(page)).toEqual([
      {
        error: {
          name: 'SpectroCloudReAuthError',
          code: 'ERR_REAUTH_REJECTED',
          message: 'SpectroCloud re-authentication failed: the sign-in request was dismissed',
        },
      },
    ]);
    expect(await page.page.locator('#login-requests').isHidden()).toBe(true);
    expect(dedupe(await page.page.evaluate(() => [...window.spectro.sessionStates]))).toEqual(['SignedOut', 'SignedIn']);
    const after = await backstageIdentity(page);
    expect(after?.userEntityRef).toBe(ALICE.userEntityRef);
    expect(after?.token).toBe(before?.token);
    // No popup after the first sign-in, and no new session token without a sign-in.
    expect(page.popups).toHaveLength(1);
    expect(await paletteTokens().forUser(ALICE.userEntityRef)).toBeUndefined();
  }, TEST_TIMEOUT_MS);
});
