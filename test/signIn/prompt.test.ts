/**
 * `prompt` as the seed docs promise it, in a real browser. The example app
 * cannot change `prompt` (see the report), so this file drives a legacy
 * backend from test/support/spectroFixture.ts: one provider with three
 * environments that differ only in `prompt`, against one emulator, so the
 * emulator's own session cookie is shared by all three.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import jwt from 'jsonwebtoken';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CLIENT_ID, CLIENT_SECRET, readFrameMessage, startFixture, type Fixture, type FrameResult } from '../support/spectroFixture';
import { registerSecret } from '../support/secrets';
import { closeQuietly, launchChromium, newContext } from '../support/browser';
import { registerMessageSecrets, userButton } from '../support/pages';

const EMULATOR_SESSION_COOKIE = 'spectrocloud_emulator_session';

let fixture: Fixture;
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  const launched = launchChromium();
  fixture = await startFixture({
    providerConfig: emulator => {
      const base = {
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        authorizationUrl: emulator.authorizationUrl,
        signIn: { resolvers: [{ resolver: 'emailMatchingUserEntityProfileEmail' }] },
      };
      return {
        development: base,
        silent: { ...base, prompt: 'none' },
        relogin: { ...base, prompt: 'login' },
      };
    },
  });
  browser = await launched;
});

afterAll(async () => {
  await closeQuietly(browser);
  await fixture?.close();
});

beforeEach(async () => {
  context = await newContext(browser);
});

afterEach(async () => {
  await closeQuietly(context);
});

interface FullPage {
  page: Page;
  /** Emulator pages the browser was shown (login or consent), by URL. */
  shownIdpPages: string[];
}

/** A full page (no popup, no opener) that keeps the handler/frame page open so its message can be read. */
async function fullPage(): Promise<FullPage> {
  const page = await context.newPage();
  await page.addInitScript(() => {
    window.close = () => undefined;
  });
  const shownIdpPages: string[] = [];
  page.on('response', response => {
    const isDocument = response.request().resourceType() === 'document';
    if (isDocument && response.status() === 200 && response.url().startsWith(fixture.emulator.issuer)) shownIdpPages.push(response.url());
  });
  return { page, shownIdpPages };
}

const isFrame = (url: string) => new URL(url).pathname === '/api/auth/spectrocloud/handler/frame';

/** Resolves with the `authorization_response` of the next handler/frame page. */
async function nextFrameMessage(page: Page): Promise<FrameResult['message']> {
  const response = await page.waitForResponse(r => isFrame(r.url()));
  const message = readFrameMessage(await response.text());
  registerMessageSecrets(message);
  return message;
}

function startUrl(env: string): string {
  return `${fixture.providerBase}/start?env=${env}`;
}

/** A plain sign-in (no prompt): the login page, then Alice. Leaves the emulator's session cookie behind. */
async function signInNormally({ page }: FullPage) {
  await page.goto(startUrl('development'));
  const frame = nextFrameMessage(page);
  await page.click(userButton('alice@example.com'));
  const message = await frame;
  expect(message.error).toBeUndefined();
  const session = (await context.cookies(fixture.emulator.authorizationUrl)).find(c => c.name === EMULATOR_SESSION_COOKIE);
  registerSecret(session?.value);
  expect(session).toBeDefined();
}

function subOf(message: FrameResult['message']): unknown {
  return (jwt.decode(message.response?.backstageIdentity?.token ?? '') as jwt.JwtPayload | null)?.sub;
}

describe('prompt=none', () => {
  it('fails readably with login_required when the browser has no SpectroCloud session, without showing the login page', async () => {
    const tab = await fullPage();

    const frame = nextFrameMessage(tab.page);
    await tab.page.goto(startUrl('silent'));
    const message = await frame;

    expect(message.response).toBeUndefined();
    expect(message.error?.message).toContain('login_required');
    expect(message.error?.message).not.toMatch(/\bat \S+ \(/);
    expect(tab.shownIdpPages).toEqual([]);
  }, 60_000);

  it('signs in silently, without the login page, once the browser has a SpectroCloud session', async () => {
    const tab = await fullPage();
    await signInNormally(tab);
    tab.shownIdpPages.length = 0;

    const frame = nextFrameMessage(tab.page);
    await tab.page.goto(startUrl('silent'));
    const message = await frame;

    expect(message.error).toBeUndefined();
    expect(subOf(message)).toBe('user:default/alice');
    expect(tab.shownIdpPages).toEqual([]);
  }, 60_000);
});

describe('prompt=login', () => {
  it('shows the login page even though the browser has a SpectroCloud session', async () => {
    const tab = await fullPage();
    await signInNormally(tab);
    tab.shownIdpPages.length = 0;

    await tab.page.goto(startUrl('relogin'));

    expect(tab.shownIdpPages).toHaveLength(1);
    expect(tab.page.url().startsWith(fixture.emulator.issuer)).toBe(true);
    expect(new URL(tab.page.url()).searchParams.get('prompt')).toBe('login');
    await tab.page.waitForSelector(userButton('alice@example.com'));
    const frame = nextFrameMessage(tab.page);
    await tab.page.click(userButton('alice@example.com'));
    expect(subOf(await frame)).toBe('user:default/alice');
  }, 60_000);
});
