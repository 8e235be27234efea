import type { BrowserContext, Page, Response } from 'playwright-core';
import { registerSecret } from './secrets';

/** What the handler/frame page posts to the app window (Backstage's `authorization_response`). */
export interface AuthMessage {
  type: 'authorization_response';
  origin: string;
  response?: {
    profile?: { email?: string; displayName?: string };
    providerInfo?: { idToken?: string; accessToken?: string; expiresInSeconds?: number };
    backstageIdentity?: { token?: string; identity?: { userEntityRef?: string } };
  };
  error?: { name: string; message: string };
}

/**
 * Runs in the app page before its own scripts: keeps every
 * `authorization_response` message the sign-in popup posts, with its origin.
 */
function recordAuthMessages() {
  const messages: unknown[] = [];
  (window as unknown as { __authMessages: unknown[] }).__authMessages = messages;
  window.addEventListener('message', event => {
    const data = event.data as { type?: string } | null;
    if (data && typeof data === 'object' && data.type === 'authorization_response') {
      messages.push({ ...JSON.parse(JSON.stringify(data)), origin: event.origin });
    }
  });
}

/** Every token a message carries is registered, so a test log that prints one fails the file. */
export function registerMessageSecrets(message: { response?: AuthMessage['response'] } | undefined): void {
  registerSecret(message?.response?.providerInfo?.idToken);
  registerSecret(message?.response?.providerInfo?.accessToken);
  registerSecret(message?.response?.backstageIdentity?.token);
}

/** The messages the app page received so far (tokens registered as secrets). */
export async function authMessages(page: Page): Promise<AuthMessage[]> {
  const messages = await page.evaluate(() => (window as unknown as { __authMessages?: unknown[] }).__authMessages ?? []);
  (messages as AuthMessage[]).forEach(registerMessageSecrets);
  return messages as AuthMessage[];
}

const isRefresh = (response: Response) => new URL(response.url()).pathname.endsWith('/api/auth/spectrocloud/refresh');

/**
 * Opens the example app in a new page of `context`, recording auth messages,
 * and waits until the page's own session check (`/refresh?optional`) answered.
 */
export async function openApp(context: BrowserContext, appUrl: string, beforeLoad?: (page: Page) => void): Promise<Page> {
  const page = await context.newPage();
  await page.addInitScript(recordAuthMessages);
  beforeLoad?.(page);
  const sessionCheck = page.waitForResponse(isRefresh);
  await page.goto(`${appUrl}/`);
  await sessionCheck;
  await waitForText(page, '#status', text => text !== 'checking...');
  return page;
}

/** Reloads the app and waits for its session check, like {@link openApp}. */
export async function reloadApp(page: Page): Promise<void> {
  const sessionCheck = page.waitForResponse(isRefresh);
  await page.reload();
  await sessionCheck;
}

/** The element's text once `expected` holds (a string is compared exactly); fails naming what it saw. */
export async function waitForText(
  page: Page,
  selector: string,
  expected: string | ((text: string) => boolean),
  timeout = 15_000,
): Promise<string> {
  const matches = typeof expected === 'string' ? (text: string) => text === expected : expected;
  const deadline = Date.now() + timeout;
  let text = '';
  for (;;) {
    text = ((await page.textContent(selector)) ?? '').trim();
    if (matches(text)) return text;
    if (Date.now() > deadline) {
      throw new Error(`${selector} never showed ${typeof expected === 'string' ? JSON.stringify(expected) : 'the expected text'}; last text: ${JSON.stringify(text)}`);
    }
    await page.waitForTimeout(50);
  }
}

/** The texts the example app page shows, by element id. */
export async function fields(page: Page, ...ids: string[]): Promise<Record<string, string>> {
  const entries = await Promise.all(ids.map(async id => [id, ((await page.textContent(`#${id}`)) ?? '').trim()] as const));
  return Object.fromEntries(entries);
}

export interface PopupSignIn {
  popup: Page;
  /** The URL the popup showed the login page at. */
  loginPageUrl: string;
}

/**
 * Clicks "Sign in with SpectroCloud", waits for the popup to reach the
 * emulator's login page, clicks `button` there (a user, or Deny) and waits
 * until the popup has closed itself.
 */
export async function signInThroughPopup(page: Page, emulatorIssuer: string, button: string): Promise<PopupSignIn> {
  const opened = page.waitForEvent('popup');
  await page.click('#sign-in');
  const popup = await opened;
  await popup.waitForURL(url => url.href.startsWith(emulatorIssuer), { waitUntil: 'domcontentloaded' });
  const loginPageUrl = popup.url();
  const closed = popup.waitForEvent('close', { timeout: 20_000 });
  await popup.click(button);
  await closed;
  return { popup, loginPageUrl };
}

export const userButton = (email: string) => `button[data-email="${email}"]`;
export const DENY_BUTTON = 'button[data-action="deny"]';
