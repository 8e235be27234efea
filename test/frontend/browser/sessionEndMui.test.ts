/*
 * The session-end warning is drawn as Backstage draws its own banners, the
 * same Material UI drawing on both frontend systems: the legacy app's
 * `<SpectroCloudSessionEndWarning />` (the legacy test page with Backstage's
 * light theme around it, as a legacy app's createApp provides it) and the new
 * frontend system's `createSpectroCloudSessionEndWarningModule()` (its test
 * app, Backstage's own themes through @backstage/plugin-app): a Snackbar in
 * the app theme's banner colours, announced to screen readers, and operable
 * from the keyboard without taking the focus from where the user types. Real
 * Chromium, the example's legacy backend, the emulator. The lead time is
 * longer than the first ID token's life, so the warning shows at once, and
 * shorter than the renewed one's, so it goes after the renewal.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { clickAccount, signInWithPopup, useBrowserHarness, verifyEmulatorIdToken, waitForPopupClosed, type TestPage } from './harness';
import { FIRST_TTL_S, LEAD_TIME_S, RENEWED_TTL_S, TEST_TIMEOUT_MS, WARNING, useIdTokenLifetime } from './sessionEndLifetimes';
import { registerSecret } from '../../support/secrets';

/** Backstage's light theme: `palette.banner.warning` and `palette.banner.text` (@backstage/theme). */
const BANNER_WARNING = 'rgb(255, 152, 0)';
const BANNER_TEXT = 'rgb(255, 255, 255)';

const files = useBrowserHarness({ newSystemApp: true });
/** The lifetime of the ID tokens the emulator signs next. */
const ttl = useIdTokenLifetime(files);

/** Each frontend system's page: signed in as Alice with the warning's lead time, and how it hands out the ID token. */
const SYSTEMS: Array<{ name: string; signIn(tab: TestPage): Promise<void>; idToken(page: Page): Promise<string> }> = [
  {
    name: 'legacy',
    async signIn(tab) {
      await tab.open(`?sessionEnd=${LEAD_TIME_S}`);
      await signInWithPopup(tab);
    },
    idToken: page => page.evaluate(() => window.spectro.getIdToken()),
  },
  {
    name: 'new',
    async signIn({ page }) {
      await page.goto(`${files.harness.testPageUrl.replace(/index\.html$/, 'new-system.html')}?sessionEnd=${LEAD_TIME_S}`, { waitUntil: 'load' });
      await page.waitForFunction(() => window.spectroNew?.ready === true);
      const popupOpened = page.waitForEvent('popup');
      const signedIn = page.evaluate(async () => (await window.spectroNew!.api.getBackstageIdentity({ instantPopup: true }))?.identity.userEntityRef);
      await clickAccount(await popupOpened, 'alice@example.com');
      expect(await signedIn).toBe('user:default/alice');
    },
    idToken: page => page.evaluate(() => window.spectroNew!.api.getIdToken()),
  },
];

describe.each(SYSTEMS)('the session-end warning of the $name frontend system, drawn with Material UI', system => {
  it(
    "is a Snackbar in the theme's banner colours, announced, and renewed from the keyboard while focus stays in the input",
    async () => {
      ttl.seconds = FIRST_TTL_S;
      const tab = await files.openTestPage();
      const page = tab.page;
      await system.signIn(tab);
      const before = await system.idToken(page);
      registerSecret(before);
      // The user is typing when the warning comes.
      const notes = page.getByLabel('Unsaved notes');
      await notes.focus();

      const warning = page.getByRole('alert').filter({ hasText: WARNING });
      await warning.waitFor();
      const drawn = await warning.evaluate(element => {
        const style = getComputedStyle(element);
        return {
          mui: element.classList.contains('MuiSnackbarContent-root') && element.closest('.MuiSnackbar-root') !== null,
          kind: element.getAttribute('data-spectrocloud-session-end'),
          live: element.getAttribute('aria-live'),
          background: style.backgroundColor,
          color: style.color,
          buttons: [...element.querySelectorAll('button')].map(button => ({ text: button.textContent, mui: button.classList.contains('MuiButton-root') })),
        };
      });
      expect(drawn).toEqual({
        mui: true,
        kind: 'warning',
        live: 'assertive',
        background: BANNER_WARNING,
        color: BANNER_TEXT,
        buttons: [
          { text: 'Renew now', mui: true },
          { text: 'Dismiss', mui: true },
        ],
      });
      expect(await page.evaluate(() => document.activeElement?.id), 'focus stays in the input').toBe('notes');

      // From the keyboard: Tab reaches Renew now, Enter renews (a key press lets the popup through, as a click does).
      for (let presses = 0; presses < 20; presses++) {
        if ((await page.evaluate(() => document.activeElement?.textContent)) === 'Renew now') break;
        await page.keyboard.press('Tab');
      }
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Renew now');
      ttl.seconds = RENEWED_TTL_S;
      const renewOpened = page.waitForEvent('popup');
      await page.keyboard.press('Enter');
      const renewPopup = await renewOpened;
      await clickAccount(renewPopup, 'alice@example.com');
      await waitForPopupClosed(renewPopup);
      await page.getByRole('alert').waitFor({ state: 'detached' });
      const after = await system.idToken(page);
      registerSecret(after);
      expect(after === before).toBe(false);
      expect(verifyEmulatorIdToken(files.harness.emulator, after).email).toBe('alice@example.com');
    },
    TEST_TIMEOUT_MS,
  );
});
