/**
 * Sign-in, session and sign-out in real headless Chromium: the test page (the
 * real frontend code from src) on the example app's origin, the real legacy
 * backend and the SpectroCloud emulator.
 */
import { describe, expect, it } from 'vitest';
import { registerSecret } from '../../support/secrets';
import {
  UI_TIMEOUT_MS,
  backstageIdentity,
  dedupe,
  jwtHeader,
  signInWithPopup,
  useBrowserHarness,
  type TestPage,
  verifyEmulatorIdToken,
} from './harness';

const TEST_TIMEOUT_MS = 90_000;

const files = useBrowserHarness();

/** A fresh browser (no cookies) on the test page. */
async function open(): Promise<TestPage> {
  return files.openTestPage();
}

const sessionStates = (page: TestPage) => page.page.evaluate(() => [...window.spectro.sessionStates]);

describe('SpectroCloud sign-in in Chromium', () => {
  it('signIn() opens the popup, the user picks Alice, and the session goes from SignedOut to SignedIn', async () => {
    const page = await open();
    expect(dedupe(await sessionStates(page))).toEqual(['SignedOut']);

    const identity = await signInWithPopup(page);

    expect(identity.clicked).toBe(true);
    expect(page.popups).toHaveLength(1);
    expect(identity.userEntityRef).toBe('user:default/alice');
    expect(dedupe(await sessionStates(page))).toEqual(['SignedOut', 'SignedIn']);
  }, TEST_TIMEOUT_MS);

  it("getProfile() shows the emulator user's e-mail and display name", async () => {
    const page = await open();
    await signInWithPopup(page);

    const profile = await page.page.evaluate(() => window.spectro.getProfile({ optional: true }));

    expect(profile).toMatchObject({ email: 'alice@example.com', displayName: 'Alice Example' });
  }, TEST_TIMEOUT_MS);

  it("getIdToken() returns the emulator's RS256 ID token, whose signature verifies against the emulator's JWKS", async () => {
    const page = await open();
    await signInWithPopup(page);

    const idToken = await page.page.evaluate(() => window.spectro.getIdToken());
    registerSecret(idToken);

    expect(jwtHeader(idToken).alg).toBe('RS256');
    // Signature (emulator JWKS), issuer and audience 'backstage-example'.
    const claims = verifyEmulatorIdToken(files.harness.emulator, idToken);
    expect(claims.email).toBe('alice@example.com');
  }, TEST_TIMEOUT_MS);

  it('getBackstageIdentity() returns user:default/alice', async () => {
    const page = await open();
    await signInWithPopup(page);

    const identity = await backstageIdentity(page);

    expect(identity?.userEntityRef).toBe('user:default/alice');
    expect(identity?.ownershipEntityRefs).toContain('user:default/alice');
    expect(identity?.token.split('.')).toHaveLength(3);
  }, TEST_TIMEOUT_MS);

  it('signOut() moves the session state to SignedOut', async () => {
    const page = await open();
    await signInWithPopup(page);

    await page.page.evaluate(() => window.spectro.signOut());

    expect(dedupe(await sessionStates(page))).toEqual(['SignedOut', 'SignedIn', 'SignedOut']);
  }, TEST_TIMEOUT_MS);

  it('after signOut() and a reload, restoreSession() finds no session', async () => {
    const page = await open();
    await signInWithPopup(page);
    await page.page.evaluate(() => window.spectro.signOut());
    await page.reload();

    const restored = await page.page.evaluate(async () => (await window.spectro.restoreSession()) ?? null);

    expect(restored).toBeNull();
    expect(page.popups).toHaveLength(1);
  }, TEST_TIMEOUT_MS);

  it('after a page reload, restoreSession() brings the session back without a popup', async () => {
    const page = await open();
    await signInWithPopup(page);
    await page.reload();
    let popupsAfterReload = 0;
    page.context.on('page', () => popupsAfterReload++);

    const restored = await page.page.evaluate(async () => {
      const response = await window.spectro.restoreSession();
      return response && { token: response.token, ...response.identity };
    });
    registerSecret(restored?.token);
    // A popup would have opened while restoring; give a late one a moment anyway.
    await page.page.waitForTimeout(500);

    expect(restored?.userEntityRef).toBe('user:default/alice');
    expect(popupsAfterReload).toBe(0);
    expect(page.popups).toHaveLength(1);
    expect(dedupe(await sessionStates(page)).at(-1)).toBe('SignedIn');
  }, TEST_TIMEOUT_MS);

  it('closing the popup during signIn() reaches the caller as a readable error', async () => {
    const page = await open();
    const popupEvent = page.page.waitForEvent('popup', { timeout: UI_TIMEOUT_MS });
    const outcome = page.page.evaluate(() =>
      window.spectro.signIn().then(
        () => ({ signedIn: true as const }),
        (error: Error) => ({ name: error.name, message: error.message }),
      ),
    );
    const popup = await popupEvent;
    // The user sees the account list, then closes the window.
    await popup.locator('button[data-email="alice@example.com"]').waitFor({ state: 'visible' });
    await popup.close();

    expect(await outcome).toEqual({ name: 'PopupClosedError', message: 'Login failed, popup was closed' });
    expect(page.popups).toHaveLength(1);
    expect(dedupe(await sessionStates(page))).toEqual(['SignedOut']);
  }, TEST_TIMEOUT_MS);
});
