import { describe, expect, it } from 'vitest';
import jwt from 'jsonwebtoken';
import type { Page, Request } from 'playwright-core';
import { useExampleInBrowser } from '../support/browser';
import { registerSecret } from '../support/secrets';
import { authMessages, fields, openApp, reloadApp, signInThroughPopup, userButton, waitForText } from '../support/pages';

const ALICE = 'alice@example.com';
/** How every HS256 JWT (SpectroCloud's session token) starts: `{"alg":"HS256"`. */
const HS256_JWT_PREFIX = 'eyJhbGciOiJIUzI1NiI';

const run = useExampleInBrowser();

/** Opens the app and signs Alice in through the popup; returns the app page. */
async function signedInAsAlice(beforeLoad?: (page: Page) => void): Promise<Page> {
  const page = await openApp(run.context, run.example.appUrl, beforeLoad);
  await signInThroughPopup(page, run.example.emulator!.issuer, userButton(ALICE));
  await waitForText(page, '#who', 'user:default/alice');
  return page;
}

describe('signing in through the popup in a real browser', () => {
  it('opens the emulator login page in a popup, which posts the authorization_response and closes after Alice is picked', async () => {
    // The code the popup brings back: a secret this file's log guard looks for in everything printed, the example
    // backend's request log (redactCallbackQuery around backend-common's requestLoggingHandler) included.
    const codes: string[] = [];
    run.context.on('request', request => {
      const url = new URL(request.url());
      const code = url.pathname.endsWith('/handler/frame') ? url.searchParams.get('code') : null;
      if (!code) return;
      codes.push(code);
      registerSecret(code);
    });
    const page = await openApp(run.context, run.example.appUrl);
    const { popup, loginPageUrl } = await signInThroughPopup(page, run.example.emulator!.issuer, userButton(ALICE));
    expect(codes).toHaveLength(1);

    expect(new URL(loginPageUrl).pathname).toBe(new URL(run.example.emulator!.authorizationUrl).pathname);
    expect(popup.isClosed()).toBe(true);
    const messages = await authMessages(page);
    expect(messages).toHaveLength(1);
    expect(messages[0].origin).toBe(new URL(run.example.backendUrl).origin);
    expect(messages[0].error).toBeUndefined();
  }, 60_000);

  it('shows Alice as user:default/alice with her email, name, SpectroCloud groups and the ID token expiry', async () => {
    const page = await signedInAsAlice();

    const shown = await fields(page, 'status', 'who', 'email', 'name', 'groups', 'expires', 'error');
    expect(shown).toMatchObject({
      status: 'Signed in',
      who: 'user:default/alice',
      email: ALICE,
      name: 'Alice Example',
      groups: 'platform-team, developers',
      error: '',
    });
    const expires = Date.parse(shown.expires);
    expect(expires).toBeGreaterThan(Date.now());
    expect(expires).toBeLessThanOrEqual(Date.now() + 3_700_000);
  }, 60_000);

  it('posts a Backstage token whose sub is user:default/alice', async () => {
    const page = await signedInAsAlice();

    const [message] = await authMessages(page);
    const token = message.response?.backstageIdentity?.token;
    expect(token).toBeTypeOf('string');
    const claims = jwt.decode(token!) as jwt.JwtPayload;
    expect(claims.sub).toBe('user:default/alice');
    expect(message.response?.backstageIdentity?.identity?.userEntityRef).toBe('user:default/alice');
  }, 60_000);
});

describe('keeping the session in a real browser', () => {
  it('recovers the session after a reload through /refresh, without opening a popup', async () => {
    const page = await signedInAsAlice();
    const popups: Page[] = [];
    run.context.on('page', opened => popups.push(opened));
    const requests: Request[] = [];
    page.on('request', request => requests.push(request));

    await reloadApp(page);

    await waitForText(page, '#who', 'user:default/alice');
    expect(await fields(page, 'status', 'email')).toEqual({ status: 'Signed in', email: ALICE });
    expect(popups).toHaveLength(0);
    const refreshes = requests.filter(r => new URL(r.url()).pathname === '/api/auth/spectrocloud/refresh');
    expect(refreshes.length).toBeGreaterThanOrEqual(1);
    expect(await authMessages(page)).toHaveLength(0);
  }, 60_000);

  it('signs out, after which /refresh is refused', async () => {
    const page = await signedInAsAlice();

    await page.click('#sign-out');
    await waitForText(page, '#status', 'Signed out');
    expect(await fields(page, 'who', 'email')).toEqual({ who: '', email: '' });

    await page.click('#refresh');
    const result = await waitForText(page, '#refresh-result', text => text !== '');
    expect(result).toMatch(/^refused:/);
  }, 60_000);
});

describe('the backend plugin holding the SpectroCloud session token', () => {
  it('answers the API call for user:default/alice while the session token stays on the backend', async () => {
    const bodies: Array<Promise<{ url: string; body: string }>> = [];
    const page = await signedInAsAlice(app =>
      app.on('response', response => {
        bodies.push(response.text().then(body => ({ url: response.url(), body }), () => ({ url: response.url(), body: '' })));
      }),
    );

    await page.click('#call-api');
    const api = await waitForText(page, '#api', text => text !== '');

    expect(api).toMatch(/^200 /);
    expect(JSON.parse(api.slice(4))).toMatchObject({ userEntityRef: 'user:default/alice', sessionToken: 'held by the backend' });
    // The session token is held by the backend only: the example leaves tokenStore.apiTokenCookie off, so no cookie
    // of any path carries it (the plugin's 200 above came from the server-side store).
    const cookies = await run.context.cookies();
    cookies.forEach(cookie => registerSecret(cookie.value));
    expect(cookies.map(c => c.name)).not.toContain('spectrocloud-api-token');
    expect(cookies.filter(c => c.value.startsWith(HS256_JWT_PREFIX)).map(c => c.name)).toEqual([]);
    // Nothing page scripts can read carries it: the postMessage, the page, its cookies, its responses.
    const messages = await authMessages(page);
    expect(messages).toHaveLength(1);
    expect(messages.filter(m => JSON.stringify(m).includes(HS256_JWT_PREFIX))).toHaveLength(0);
    expect((await page.evaluate(() => document.cookie)).includes(HS256_JWT_PREFIX)).toBe(false);
    expect((await page.content()).includes(HS256_JWT_PREFIX)).toBe(false);
    await reloadApp(page); // the /refresh answer is one more response the page reads
    await waitForText(page, '#who', 'user:default/alice');
    const seen = await Promise.all(bodies);
    expect(seen.some(({ url }) => url.endsWith('/api/spectrocloud/whoami'))).toBe(true);
    expect(seen.filter(({ url }) => url.includes('/api/auth/spectrocloud/refresh')).length).toBeGreaterThanOrEqual(2);
    expect(seen.filter(({ body }) => body.includes(HS256_JWT_PREFIX)).map(({ url }) => url)).toEqual([]);
  }, 60_000);
});
