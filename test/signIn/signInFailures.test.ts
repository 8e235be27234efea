import { describe, expect, it } from 'vitest';

import { useExampleInBrowser } from '../support/browser';
import { authMessages, DENY_BUTTON, fields, openApp, signInThroughPopup, userButton, waitForText } from '../support/pages';

const run = useExampleInBrowser();

describe('when SpectroCloud denies the sign-in', () => {
  it('posts a readable access-denied error from the popup, which the page shows', async () => {
    const page = await openApp(run.context, run.example.appUrl);

    await signInThroughPopup(page, run.example.emulator!.issuer, DENY_BUTTON);

    const [message] = await authMessages(page);
    expect(message.response).toBeUndefined();
    expect(message.error?.message).toMatch(/denied/i);
    const error = await waitForText(page, '#error', text => text !== '');
    expect(error).toMatch(/denied/i);
    expect(error).not.toMatch(/\bat \S+ \(/); // a sentence, not a stack trace
    expect(await fields(page, 'status', 'who')).toEqual({ status: 'Signed out', who: '' });
  }, 60_000);

  it('keeps serving: the same browser signs in as Alice right after the denial', async () => {
    const page = await openApp(run.context, run.example.appUrl);
    await signInThroughPopup(page, run.example.emulator!.issuer, DENY_BUTTON);
    await waitForText(page, '#error', text => /denied/i.test(text));

    await signInThroughPopup(page, run.example.emulator!.issuer, userButton('alice@example.com'));

    await waitForText(page, '#who', 'user:default/alice');
    expect(await fields(page, 'status', 'error')).toEqual({ status: 'Signed in', error: '' });
  }, 60_000);
});

describe('when the catalog does not know the user', () => {
  it('shows a readable error naming the sign-in resolvers that were tried', async () => {
    const page = await openApp(run.context, run.example.appUrl);

    await signInThroughPopup(page, run.example.emulator!.issuer, userButton('carol@example.com'));

    const error = await waitForText(page, '#error', text => text !== '');
    expect(error).toContain('emailMatchingUserEntityProfileEmail');
    expect(error).toContain('emailLocalPartMatchingUserEntityName');
    expect(error).not.toMatch(/\bat \S+ \(/);
    const [message] = await authMessages(page);
    expect(message.response).toBeUndefined();
    expect(await fields(page, 'status', 'who')).toEqual({ status: 'Signed out', who: '' });
  }, 60_000);
});
