import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { startExample, type RunningExample } from '../../examples/legacy-backend/startExample';
import { closeQuietly, launchChromium, newContext } from './support/browser';
import { authMessages, DENY_BUTTON, fields, openApp, signInThroughPopup, userButton, waitForText } from './support/pages';

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

describe('when SpectroCloud denies the sign-in', () => {
  it('posts a readable access-denied error from the popup, which the page shows', async () => {
    const page = await openApp(context, example.appUrl);

    await signInThroughPopup(page, example.emulator!.issuer, DENY_BUTTON);

    const [message] = await authMessages(page);
    expect(message.response).toBeUndefined();
    expect(message.error?.message).toMatch(/denied/i);
    const error = await waitForText(page, '#error', text => text !== '');
    expect(error).toMatch(/denied/i);
    expect(error).not.toMatch(/\bat \S+ \(/); // a sentence, not a stack trace
    expect(await fields(page, 'status', 'who')).toEqual({ status: 'Signed out', who: '' });
  }, 60_000);

  it('keeps serving: the same browser signs in as Alice right after the denial', async () => {
    const page = await openApp(context, example.appUrl);
    await signInThroughPopup(page, example.emulator!.issuer, DENY_BUTTON);
    await waitForText(page, '#error', text => /denied/i.test(text));

    await signInThroughPopup(page, example.emulator!.issuer, userButton('alice@example.com'));

    await waitForText(page, '#who', 'user:default/alice');
    expect(await fields(page, 'status', 'error')).toEqual({ status: 'Signed in', error: '' });
  }, 60_000);
});

describe('when the catalog does not know the user', () => {
  it('shows a readable error naming the sign-in resolvers that were tried', async () => {
    const page = await openApp(context, example.appUrl);

    await signInThroughPopup(page, example.emulator!.issuer, userButton('carol@example.com'));

    const error = await waitForText(page, '#error', text => text !== '');
    expect(error).toContain('emailMatchingUserEntityProfileEmail');
    expect(error).toContain('emailLocalPartMatchingUserEntityName');
    expect(error).not.toMatch(/\bat \S+ \(/);
    const [message] = await authMessages(page);
    expect(message.response).toBeUndefined();
    expect(await fields(page, 'status', 'who')).toEqual({ status: 'Signed out', who: '' });
  }, 60_000);
});
