import { describe, expect, it } from 'vitest';
import type { Page, Request } from 'playwright-core';
import { startNewExample } from '../../examples/new-backend/startNewExample';
import { useExampleInBrowser } from '../support/browser';
import { authMessages, fields, openApp, reloadApp, signInThroughPopup, userButton, waitForText } from '../support/pages';

const ALICE = 'alice@example.com';

/** `pnpm example:new-backend` in a real Chromium: the same app page, emulator and config on the new backend system. */
const run = useExampleInBrowser(() => startNewExample({ backendPort: 0, appPort: 0, emulatorPort: 0 }));

async function signedInAsAlice(): Promise<Page> {
  const page = await openApp(run.context, run.example.appUrl);
  await signInThroughPopup(page, run.example.emulator!.issuer, userButton(ALICE));
  await waitForText(page, '#who', 'user:default/alice');
  return page;
}

describe('signing in on the new backend system in a real browser', () => {
  it('signs Alice in through the popup, with her profile and groups', async () => {
    const page = await signedInAsAlice();
    const messages = await authMessages(page);
    expect(messages).toHaveLength(1);
    expect(messages[0].origin).toBe(new URL(run.example.backendUrl).origin);
    expect(await fields(page, 'status', 'who', 'email', 'groups', 'error')).toEqual({
      status: 'Signed in',
      who: 'user:default/alice',
      email: ALICE,
      groups: 'platform-team, developers',
      error: '',
    });
  }, 60_000);

  it('recovers the session after a reload through /refresh, without a popup', async () => {
    const page = await signedInAsAlice();
    const popups: Page[] = [];
    run.context.on('page', opened => popups.push(opened));
    const requests: Request[] = [];
    page.on('request', request => requests.push(request));

    await reloadApp(page);

    await waitForText(page, '#who', 'user:default/alice');
    expect(popups).toHaveLength(0);
    expect(requests.some(r => new URL(r.url()).pathname === '/api/auth/spectrocloud/refresh')).toBe(true);
  }, 60_000);

  it('comes back to the app signed in through the redirect flow', async () => {
    const page = await run.context.newPage();
    const start = new URL(`${run.example.backendUrl}/api/auth/spectrocloud/start`);
    start.search = new URLSearchParams({ env: 'development', flow: 'redirect', redirectUrl: `${run.example.appUrl}/` }).toString();
    await page.goto(start.toString());
    expect(page.url().startsWith(run.example.emulator!.issuer)).toBe(true);
    const sessionCheck = page.waitForResponse(r => new URL(r.url()).pathname === '/api/auth/spectrocloud/refresh');
    await Promise.all([page.waitForURL(`${run.example.appUrl}/`), page.click(userButton(ALICE))]);
    expect((await sessionCheck).status()).toBe(200);
    await waitForText(page, '#who', 'user:default/alice');
  }, 60_000);

  it('refuses a redirectUrl outside the app at /start', async () => {
    const page = await run.context.newPage();
    const start = new URL(`${run.example.backendUrl}/api/auth/spectrocloud/start`);
    start.search = new URLSearchParams({ env: 'development', flow: 'redirect', redirectUrl: 'https://evil.example.com/' }).toString();
    const response = await page.goto(start.toString());
    expect(response?.status()).toBe(403);
    expect(new URL(page.url()).origin).toBe(new URL(run.example.backendUrl).origin);
  }, 60_000);

  it('hands the plugin the session token after sign-in, and asks for a new sign-in after sign-out', async () => {
    const page = await signedInAsAlice();
    await page.click('#call-api');
    await waitForText(page, '#api', text => text.includes('"userEntityRef":"user:default/alice","source":"user-session"'));
    await page.click('#sign-out');
    await waitForText(page, '#status', 'Signed out');
  }, 60_000);
});
