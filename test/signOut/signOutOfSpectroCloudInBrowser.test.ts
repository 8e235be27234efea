import { describe, expect, it } from 'vitest';
import { useExampleInBrowser } from '../support/browser';
import { fields, openApp, reloadApp, signInThroughPopup, userButton, waitForText } from '../support/pages';

/**
 * The example runs with `signOutOfSpectroCloud: true`: "Sign out" ends the
 * Backstage session, then the frontend client sends the window to the
 * emulator's end_session_endpoint, which ends its own SSO session and returns
 * to the app. Without that, the emulator's session cookie would sign the same
 * user straight back in at the next "Sign in".
 */
const run = useExampleInBrowser();

describe('signing out of SpectroCloud too, in a real browser', () => {
  it('signs Alice out of Backstage and SpectroCloud, so the next sign-in shows the login page and Bob can sign in', async () => {
    const emulator = run.example.emulator!;
    const page = await openApp(run.context, run.example.appUrl);
    await signInThroughPopup(page, emulator.issuer, userButton('alice@example.com'));
    await waitForText(page, '#who', 'user:default/alice');
    const endSessionsBefore = emulator.stats.endSessionRequests;

    const endSession = page.waitForRequest(request => request.url().startsWith(emulator.endSessionUrl));
    const backAtApp = page.waitForResponse(
      response => response.request().isNavigationRequest() && response.url().startsWith(run.example.appUrl),
    );
    await page.click('#sign-out');
    const endSessionUrl = new URL((await endSession).url());
    await backAtApp;
    await waitForText(page, '#status', 'Signed out');

    // The window went to SpectroCloud with the ID token as hint and came back to the app.
    expect(endSessionUrl.searchParams.get('post_logout_redirect_uri')).toBe(run.example.appUrl);
    expect(endSessionUrl.searchParams.get('id_token_hint')).toMatch(/^eyJ/);
    expect(emulator.stats.endSessionRequests).toBe(endSessionsBefore + 1);
    expect(new URL(page.url()).origin).toBe(new URL(run.example.appUrl).origin);
    expect(await fields(page, 'who', 'error')).toEqual({ who: '', error: '' });

    // The popup stops at the login page again (no SSO session left) and Bob can be picked.
    await signInThroughPopup(page, emulator.issuer, userButton('bob@example.com'));
    await waitForText(page, '#who', 'user:default/bob');
    expect(await fields(page, 'status', 'email')).toEqual({ status: 'Signed in', email: 'bob@example.com' });
  }, 90_000);

  it('without the SpectroCloud step (Backstage sign-out only), the next sign-in comes straight back as Alice', async () => {
    const emulator = run.example.emulator!;
    const page = await openApp(run.context, run.example.appUrl);
    await signInThroughPopup(page, emulator.issuer, userButton('alice@example.com'));
    await waitForText(page, '#who', 'user:default/alice');

    // What sign-out did before: only POST /logout, the emulator's SSO cookie stays.
    const status = await page.evaluate(async backendUrl => {
      const response = await fetch(`${backendUrl}/api/auth/spectrocloud/logout?env=development`, {
        method: 'POST',
        credentials: 'include',
        headers: { 'X-Requested-With': 'XMLHttpRequest' },
      });
      return response.status;
    }, run.example.backendUrl);
    expect(status).toBe(200);
    await reloadApp(page);
    await waitForText(page, '#status', 'Signed out');

    // The popup never stops at the login page: SpectroCloud still knows Alice.
    const opened = page.waitForEvent('popup');
    await page.click('#sign-in');
    const popup = await opened;
    await popup.waitForEvent('close', { timeout: 20_000 });
    await waitForText(page, '#who', 'user:default/alice');
  }, 90_000);
});
