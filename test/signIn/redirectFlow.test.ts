import { describe, expect, it } from 'vitest';
import type { Request } from 'playwright-core';
import { useExampleInBrowser } from '../support/browser';
import { fields, userButton, waitForText } from '../support/pages';

const run = useExampleInBrowser();

function redirectStart(redirectUrl: string): string {
  const start = new URL(`${run.example.backendUrl}/api/auth/spectrocloud/start`);
  start.searchParams.set('env', 'development');
  start.searchParams.set('flow', 'redirect');
  start.searchParams.set('redirectUrl', redirectUrl);
  return start.toString();
}

describe('the redirect flow in a real browser', () => {
  it('comes back to the app signed in after Alice is picked at the emulator, without a popup', async () => {
    const page = await run.context.newPage();
    const popups: unknown[] = [];
    page.on('popup', popup => popups.push(popup));

    await page.goto(redirectStart(`${run.example.appUrl}/`));
    expect(page.url().startsWith(run.example.emulator!.issuer)).toBe(true);
    const sessionCheck = page.waitForResponse(r => new URL(r.url()).pathname === '/api/auth/spectrocloud/refresh');
    await Promise.all([page.waitForURL(`${run.example.appUrl}/`), page.click(userButton('alice@example.com'))]);
    const refresh = await sessionCheck;

    expect(refresh.status()).toBe(200);
    await waitForText(page, '#who', 'user:default/alice');
    expect(await fields(page, 'status', 'email', 'groups')).toEqual({
      status: 'Signed in',
      email: 'alice@example.com',
      groups: 'platform-team, developers',
    });
    expect(popups).toHaveLength(0);
  }, 60_000);

  it('refuses a redirectUrl outside the app at /start, never navigating there', async () => {
    const page = await run.context.newPage();
    const evilRequests: string[] = [];
    await page.route('https://evil.example.com/**', route => {
      evilRequests.push(route.request().url());
      return route.abort();
    });
    const requests: Request[] = [];
    page.on('request', request => requests.push(request));

    const response = await page.goto(redirectStart('https://evil.example.com/'));

    expect(response?.status()).toBeGreaterThanOrEqual(400);
    expect(await response?.text()).toContain('redirectUrl must point at the Backstage app');
    expect(evilRequests).toEqual([]);
    expect(new URL(page.url()).origin).toBe(new URL(run.example.backendUrl).origin);
    // Refused before SpectroCloud was involved: no request left for the emulator.
    expect(requests.map(r => new URL(r.url()).origin)).not.toContain(new URL(run.example.emulator!.url).origin);
  }, 60_000);
});
