import { describe, expect, it } from 'vitest';
import { useExampleInBrowser } from './support/browser';
import { fields, openApp, signInThroughPopup, userButton, waitForText } from './support/pages';

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
});
