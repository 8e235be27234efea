import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { startExample, type RunningExample } from '../../examples/legacy-backend/startExample';

/** The Debian Chromium of this machine; the tests never download a browser. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/**
 * One headless Chromium per test file; Playwright's own logging stays off.
 * `popupBlocker: true` keeps Chromium's popup blocker on (Playwright turns it
 * off by default), so a `window.open` without a click is really blocked.
 */
export function launchChromium(options: { popupBlocker?: boolean; extraArgs?: string[] } = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_ARGS, ...(options.extraArgs ?? [])],
    timeout: 30_000,
    ignoreDefaultArgs: options.popupBlocker ? ['--disable-popup-blocking'] : undefined,
  });
}

/** A fresh profile per test: no cookies (ours or the emulator's) carry over. */
export async function newContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext();
  context.setDefaultTimeout(15_000);
  context.setDefaultNavigationTimeout(15_000);
  return context;
}

/** Closes what the file opened, tolerating a browser that already went away. */
export async function closeQuietly(target: { close(): Promise<unknown> } | undefined): Promise<void> {
  try {
    await target?.close();
  } catch (error) {
    if (!/closed|Target|disconnected/i.test(String((error as Error)?.message))) throw error;
  }
}

/**
 * One running example and one browser per test file, a fresh context per
 * test: registers the hooks and returns the file's handle on them.
 */
export function useExampleInBrowser<Example extends { close(): Promise<void> } = RunningExample>(
  /** which example: default the legacy backend's (`pnpm example`) */
  start: () => Promise<Example> = () => startExample({ backendPort: 0, appPort: 0, emulatorPort: 0 }) as Promise<never>,
): { readonly example: Example; readonly context: BrowserContext } {
  let example: Example | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  beforeAll(async () => {
    [example, browser] = await Promise.all([start(), launchChromium()]);
  });
  afterAll(async () => {
    await closeQuietly(browser);
    await example?.close();
  });
  beforeEach(async () => {
    context = await newContext(browser!);
  });
  afterEach(async () => {
    await closeQuietly(context);
  });
  return {
    get example() {
      if (!example) throw new Error('the example has not started');
      return example;
    },
    get context() {
      if (!context) throw new Error('no browser context outside a test');
      return context;
    },
  };
}
