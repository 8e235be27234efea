import { afterAll, afterEach, beforeAll } from 'vitest';
/**
 * Launcher for the browser tests: the real example backend (legacy Backstage
 * auth backend + the SpectroCloud emulator), the test page bundled from src,
 * and the Debian Chromium driven by playwright-core.
 *
 * The backend's CORS only allows the example's app origin, so the test page is
 * served ON that origin: Playwright sends requests for `${appUrl}/spectro-test/*`
 * on to a small file server on 127.0.0.1 (`route.continue` with another URL, which
 * the page never sees), and the browser sees an ordinary page of the app.
 * Cookies (Domain=localhost) and CORS then behave as in a deployed app.
 *
 * Why not `route.fulfill`: a response Playwright makes up has no server
 * address, so Chromium files the page under the public address space, and its
 * Local Network Access checks then block every fetch to the loopback backend
 * ("Permission was denied for this request to access the `loopback` address
 * space"). A response that really came from 127.0.0.1 keeps the page in the
 * loopback space, like the example's own app server.
 */
import { createPublicKey, type JsonWebKey } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../../support/browser';
import { getRootLogger } from '@backstage/backend-common';
import jwt from 'jsonwebtoken';
import { startExample, type RunningExample } from '../../../examples/legacy-backend/startExample';
import type { SpectroCloudEmulator } from '../../../src/testing';
import { registerSecret } from '../../support/secrets';
import { buildTestApp } from '../app/build.mjs';

/** The client id startExample registers at the emulator (the ID tokens' audience). */
export const EXAMPLE_CLIENT_ID = 'backstage-example';
/** Where the test page lives on the app origin. */
export const TEST_PAGE_PATH = '/spectro-test/';
/** Name of the emulator's own SSO cookie (see src/testing/emulator/sessions.ts). */
const EMULATOR_SESSION_COOKIE = 'spectrocloud_emulator_session';

/** Generous: a full popup sign-in on a busy 2-core machine. */
export const UI_TIMEOUT_MS = 20_000;

export interface BrowserHarness {
  example: RunningExample;
  emulator: SpectroCloudEmulator;
  browser: Browser;
  /** `${appUrl}/spectro-test/index.html` */
  testPageUrl: string;
  /** A fresh browser context (no cookies) with the test page loaded and ready. */
  openTestPage(): Promise<TestPage>;
  close(): Promise<void>;
}

export interface TestPage {
  context: BrowserContext;
  page: Page;
  /** Every popup the test page opened, in order. */
  popups: Page[];
  /** Reloads the test page and waits until `window.spectro` is ready again. */
  reload(): Promise<void>;
  /**
   * Opens the test page again with `search` (e.g. `?load=whoami`), as a
   * navigation: no click is behind what the page then does on load.
   */
  open(search: string): Promise<void>;
  /**
   * Opens the test page with `search` and does not touch it afterwards: every
   * Playwright evaluation (`evaluate`, locators, `waitForFunction`) runs as a
   * user gesture, which would let a popup through the blocker. Wait for the
   * page's `spectro:` console lines with {@link waitForConsole} instead.
   */
  openUntouched(search: string): Promise<void>;
  /** Forgets the emulator's SSO session, so the next popup shows the account list again. */
  forgetEmulatorSession(): Promise<void>;
  close(): Promise<void>;
}

export interface BrowserHarnessOptions {
  /** Also serve the new frontend system's app as `new-system.html` (a bigger, slower build). */
  newSystemApp?: boolean;
}

export async function startBrowserHarness(options: BrowserHarnessOptions = {}): Promise<BrowserHarness> {
  quietBackendLogs();
  const cleanups: Array<() => Promise<unknown>> = [];
  const cleanup = async () => {
    for (const fn of cleanups.reverse()) await fn().catch(() => undefined);
  };
  try {
    // The example starts the emulator unless SPECTROCLOUD_* point at a real tenant: force the emulator.
    const env = { ...process.env };
    for (const key of ['SPECTROCLOUD_CLIENT_ID', 'SPECTROCLOUD_CLIENT_SECRET', 'SPECTROCLOUD_AUTHORIZATION_URL']) delete env[key];
    // The test page stays put at sign-out: SpectroCloud's end-session step (on in the example) is tested in test/signOut/signOutOfSpectroCloudInBrowser.test.ts.
    const example = await startExample({ backendPort: 0, appPort: 0, emulatorPort: 0, env, providerOverrides: { signOutOfSpectroCloud: false } });
    cleanups.push(() => example.close());
    if (!example.emulator) throw new Error('the example did not start the SpectroCloud emulator');

    const outdir = await mkdtemp(join(tmpdir(), 'spectro-browser-test-'));
    cleanups.push(() => rm(outdir, { recursive: true, force: true }));
    await buildTestApp(outdir, { backendBaseUrl: example.backendUrl, newSystem: options.newSystemApp });
    const files = await serveDirectory(outdir, TEST_PAGE_PATH);
    cleanups.push(() => files.close());

    // The popup blocker stays on: popups open only where a click is behind them, as for users.
    const browser = await launchChromium({ popupBlocker: true });
    cleanups.push(() => browser.close());

    const appOrigin = new URL(example.appUrl).origin;
    const testPageUrl = `${appOrigin}${TEST_PAGE_PATH}index.html`;
    const pages = new Set<TestPage>();

    async function openTestPage(): Promise<TestPage> {
      const context = await browser.newContext();
      context.setDefaultTimeout(UI_TIMEOUT_MS);
      await context.route(`${appOrigin}${TEST_PAGE_PATH}**`, route => {
        const { pathname, search } = new URL(route.request().url());
        // Same URL for the page; the bytes come from the loopback file server.
        return route.continue({ url: `${files.url}${pathname}${search}` });
      });
      const page = await context.newPage();
      const popups: Page[] = [];
      page.on('popup', popup => {
        popups.push(popup);
        popup.setDefaultTimeout(UI_TIMEOUT_MS);
      });
      await page.goto(testPageUrl, { waitUntil: 'load' });
      await waitUntilReady(page);
      const testPage: TestPage = {
        context,
        page,
        popups,
        async reload() {
          await page.reload({ waitUntil: 'load' });
          await waitUntilReady(page);
        },
        async open(search) {
          await page.goto(`${testPageUrl}${search}`, { waitUntil: 'load' });
          await waitUntilReady(page);
        },
        async openUntouched(search) {
          await page.goto(`${testPageUrl}${search}`, { waitUntil: 'load' });
        },
        forgetEmulatorSession: () => context.clearCookies({ name: EMULATOR_SESSION_COOKIE }),
        async close() {
          pages.delete(testPage);
          await context.close();
        },
      };
      pages.add(testPage);
      return testPage;
    }

    return {
      example,
      emulator: example.emulator,
      browser,
      testPageUrl,
      openTestPage,
      async close() {
        for (const page of [...pages]) await page.close().catch(() => undefined);
        await cleanup();
      },
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

/** Waits for a console line the test page prints (`spectro:...`), without touching the page. */
export function waitForConsole(page: Page, text: string): Promise<unknown> {
  return page.waitForEvent('console', { predicate: message => message.text() === text, timeout: UI_TIMEOUT_MS });
}

async function waitUntilReady(page: Page): Promise<void> {
  await page.waitForFunction(() => window.spectro?.ready === true, undefined, { timeout: UI_TIMEOUT_MS });
}

/**
 * The example logs through Backstage's winston root logger. Unless TEST_LOGS is
 * set, its lines go to the secret-leak capture only (as test/support/logger.ts
 * does), instead of flooding the test output.
 */
function quietBackendLogs(): void {
  if (process.env.TEST_LOGS) return;
  const quiet = (globalThis as { __spectroQuietLog?: (line: string) => void }).__spectroQuietLog;
  for (const transport of getRootLogger().transports) {
    transport.log = (info: unknown, next: () => void) => {
      quiet?.(JSON.stringify(info));
      next();
    };
  }
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** A static file server on 127.0.0.1 for `dir`, answering under `prefix` only. */
async function serveDirectory(dir: string, prefix: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer(async (req, res) => {
    const file = await servedFile(dir, prefix, new URL(req.url ?? '/', 'http://x').pathname);
    if (!file || req.method !== 'GET') {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-store' });
    res.end(await readFile(file));
  });
  await new Promise<void>((ready, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', ready);
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>(done => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

/** The file of `dir` for a request path under `prefix`, never one outside `dir`. */
async function servedFile(dir: string, prefix: string, pathname: string): Promise<string | undefined> {
  if (!pathname.startsWith(prefix)) return undefined;
  const name = decodeURIComponent(pathname.slice(prefix.length)) || 'index.html';
  const file = resolve(dir, name);
  const rel = relative(dir, file);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel) || rel.split(sep).includes('..')) return undefined;
  try {
    return (await stat(file)).isFile() ? file : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Runs `action` in the test page, waits for the sign-in popup it opens, and
 * picks `email` in the emulator's account list. Returns what `action` returned.
 * When the emulator still has an SSO session the popup finishes on its own;
 * both paths are handled.
 */
export async function withPopupSignIn<T>(
  testPage: TestPage,
  action: () => Promise<T>,
  email = 'alice@example.com',
): Promise<{ result: T; popup: Page; clicked: boolean }> {
  const popupEvent = testPage.page.waitForEvent('popup', { timeout: UI_TIMEOUT_MS });
  const result = action();
  // Keep a rejection of `action` from going unhandled while we wait for the popup.
  result.catch(() => undefined);
  const popup = await popupEvent;
  const clicked = await clickAccount(popup, email);
  return { result: await result, popup, clicked };
}

/** Clicks the account in the emulator's login page; false when the popup closed first (silent SSO). */
export async function clickAccount(popup: Page, email: string): Promise<boolean> {
  const button = popup.locator(`button[data-email="${email}"]`);
  const closed = popup.waitForEvent('close', { timeout: UI_TIMEOUT_MS }).then(
    () => 'closed' as const,
    () => 'timeout' as const,
  );
  const shown = button.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS }).then(
    () => 'shown' as const,
    () => (popup.isClosed() ? ('closed' as const) : ('timeout' as const)),
  );
  const first = await Promise.race([shown, closed]);
  if (first === 'closed') return false;
  if (first === 'timeout') throw new Error(`the emulator's account list did not show ${email} in the popup (at ${safeUrl(popup)})`);
  try {
    // The popup posts the result to the app and closes itself right after this click.
    await button.click({ timeout: UI_TIMEOUT_MS });
  } catch (error) {
    if (!popup.isClosed()) throw error;
  }
  return true;
}

/** Waits until the popup is gone (the frame handler closes it after posting the result). */
export async function waitForPopupClosed(popup: Page): Promise<void> {
  if (!popup.isClosed()) await popup.waitForEvent('close', { timeout: UI_TIMEOUT_MS });
}

/** The URL without its query (which carries state, codes and nonces). */
function safeUrl(page: Page): string {
  try {
    const url = new URL(page.url());
    return `${url.origin}${url.pathname}`;
  } catch {
    return '(unknown)';
  }
}

/** Collapses consecutive duplicates: [a, a, b, b, a] -> [a, b, a]. */
export function dedupe<T>(values: readonly T[]): T[] {
  return values.filter((value, index) => index === 0 || values[index - 1] !== value);
}

/** Decodes a JWT's header without verifying anything. */
export function jwtHeader(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString('utf8'));
}

export interface PageIdentity {
  token: string;
  userEntityRef: string;
  ownershipEntityRefs: string[];
}

/**
 * Signs in from the test page as the SignInPage's button does (instant popup),
 * picking `email` in the emulator. The Backstage token is registered as a secret.
 */
export async function signInWithPopup(testPage: TestPage, email = 'alice@example.com'): Promise<PageIdentity & { clicked: boolean }> {
  const { result, popup, clicked } = await withPopupSignIn(
    testPage,
    () =>
      testPage.page.evaluate(async () => {
        const response = await window.spectro.signIn();
        return response && { token: response.token, ...response.identity };
      }),
    email,
  );
  registerSecret(result?.token);
  if (!result) throw new Error('signIn() resolved without a Backstage identity');
  await waitForPopupClosed(popup);
  return { ...result, clicked };
}

/** `getBackstageIdentity({ optional: true })` of the test page: never opens a popup. */
export async function backstageIdentity(testPage: TestPage): Promise<PageIdentity | undefined> {
  const identity = await testPage.page.evaluate(async () => {
    const response = await window.spectro.getBackstageIdentity({ optional: true });
    return response && { token: response.token, ...response.identity };
  });
  registerSecret(identity?.token);
  return identity;
}

/**
 * Verifies an ID token the way a Kubernetes API server would: RS256 signature
 * against the emulator's JWKS, issuer and audience (the example's client id).
 */
export function verifyEmulatorIdToken(emulator: SpectroCloudEmulator, idToken: string): jwt.JwtPayload {
  const { kid } = jwtHeader(idToken);
  const jwk = emulator.jwks.keys.find(key => key.kid === kid);
  if (!jwk) throw new Error(`the token names key "${String(kid)}", which is not in the emulator's JWKS`);
  const claims = jwt.verify(idToken, createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' }), {
    algorithms: ['RS256'],
    issuer: emulator.issuer,
    audience: EXAMPLE_CLIENT_ID,
  });
  if (typeof claims === 'string') throw new Error('the ID token has a string payload');
  return claims;
}

/**
 * One example backend, emulator and browser per test file, a fresh page per
 * test: registers the hooks and returns the file's handle on them.
 */
export function useBrowserHarness(options: BrowserHarnessOptions = {}): { readonly harness: BrowserHarness; openTestPage(): Promise<TestPage> } {
  let harness: BrowserHarness | undefined;
  let testPage: TestPage | undefined;
  beforeAll(async () => {
    harness = await startBrowserHarness(options);
  }, 180_000);
  afterEach(async () => {
    await testPage?.close();
    testPage = undefined;
  });
  afterAll(async () => {
    await harness?.close();
  }, 60_000);
  return {
    get harness() {
      if (!harness) throw new Error('the browser harness has not started');
      return harness;
    },
    async openTestPage() {
      testPage = await this.harness.openTestPage();
      return testPage;
    },
  };
}
