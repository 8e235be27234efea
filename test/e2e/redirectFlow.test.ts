import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Request } from 'playwright-core';
import { startExample, type RunningExample } from '../../examples/legacy-backend/startExample';
import { closeQuietly, launchChromium, newContext } from './support/browser';
import { fields, userButton, waitForText } from './support/pages';

let example: RunningExample;
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  [example, browser] = await Promise.all([startExample({ backendPort: 0, appPort: 0, emulatorPort: 0 }), launchChromium()]);
});

afterAll(async () => {
  await closeQuietly(browser);
  await example?.close();
});

beforeEach(async () => {
  context = await newContext(browser);
});

afterEach(async () => {
  await closeQuietly(context);
});

function redirectStart(redirectUrl: string): string {
  const start = new URL(`${example.backendUrl}/api/auth/spectrocloud/start`);
  start.searchParams.set('env', 'development');
  start.searchParams.set('flow', 'redirect');
  start.searchParams.set('redirectUrl', redirectUrl);
  return start.toString();
}

describe('the redirect flow in a real browser', () => {
  it('comes back to the app signed in after Alice is picked at the emulator, without a popup', async () => {
    const page = await context.newPage();
    const popups: unknown[] = [];
    page.on('popup', popup => popups.push(popup));

    await page.goto(redirectStart(`${example.appUrl}/`));
    expect(page.url().startsWith(example.emulator!.issuer)).toBe(true);
    const sessionCheck = page.waitForResponse(r => new URL(r.url()).pathname === '/api/auth/spectrocloud/refresh');
    await Promise.all([page.waitForURL(`${example.appUrl}/`), page.click(userButton('alice@example.com'))]);
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
    const page = await context.newPage();
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
    expect(new URL(page.url()).origin).toBe(new URL(example.backendUrl).origin);
    // Refused before SpectroCloud was involved: no request left for the emulator.
    expect(requests.map(r => new URL(r.url()).origin)).not.toContain(new URL(example.emulator!.url).origin);
  }, 60_000);
});
