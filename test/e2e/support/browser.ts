import { chromium, type Browser, type BrowserContext } from 'playwright-core';

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

/** One headless Chromium per test file; Playwright's own logging stays off. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, timeout: 30_000 });
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
