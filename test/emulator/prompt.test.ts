import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SpectroCloudEmulator } from '../../src/testing';
import { ALICE, authorize, BOB, exchangeCode, formAction, redirectParams, startEmulator } from '../support/emulatorHelpers';

/** A browser: an agent that keeps the emulator's session cookie. */
function browser(emu: SpectroCloudEmulator) {
  return request.agent(emu.url);
}

/** Signs the agent in as Alice through the login page form. */
async function signInAtLoginPage(emu: SpectroCloudEmulator, agent: ReturnType<typeof browser>, extra: Record<string, string> = {}) {
  const page = await authorize(emu, extra, agent);
  expect(page.status).toBe(200);
  return agent.post(formAction(page.text, 'login')).type('form').send({ email: ALICE.email }).redirects(0);
}

describe('login page and prompt handling', () => {
  let emu: SpectroCloudEmulator;
  beforeAll(async () => {
    // No autoApprove: every sign-in goes through the pages, like a person.
    emu = await startEmulator({ autoApprove: false });
  });
  afterAll(() => emu.close());

  it('shows the login page when the browser has no emulator session', async () => {
    const res = await authorize(emu, {}, browser(emu));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.text).toContain('Sign in as Alice Example');
  });

  it('redirects with a code for the user whose button was pressed', async () => {
    const agent = browser(emu);
    const params = redirectParams(await signInAtLoginPage(emu, agent));
    expect(params.get('state')).toBe('state-123');
    const tokens = await exchangeCode(emu, params.get('code')!);
    expect(tokens.body.id_token).toBeTruthy();
  });

  it('sets an HttpOnly session cookie on the emulator origin after login', async () => {
    const agent = browser(emu);
    const res = await signInAtLoginPage(emu, agent);
    expect(res.headers['set-cookie'][0]).toMatch(/HttpOnly/);
  });

  it('redirects with access_denied and a description when Deny is pressed', async () => {
    const agent = browser(emu);
    const page = await authorize(emu, {}, agent);
    const res = await agent.post(formAction(page.text, 'login')).type('form').send({ action: 'deny' }).redirects(0);
    const params = redirectParams(res);
    expect(params.get('error')).toBe('access_denied');
    expect(params.get('error_description')).toBeTruthy();
    expect(params.get('state')).toBe('state-123');
  });

  it('refuses a login form posted a second time', async () => {
    const agent = browser(emu);
    const page = await authorize(emu, {}, agent);
    const action = formAction(page.text, 'login');
    redirectParams(await agent.post(action).type('form').send({ email: ALICE.email }).redirects(0));
    const again = await agent.post(action).type('form').send({ email: ALICE.email }).redirects(0);
    expect(again.status).toBe(400);
  });

  it('approves silently when the browser already has a session and no prompt is sent (SSO)', async () => {
    const agent = browser(emu);
    redirectParams(await signInAtLoginPage(emu, agent));
    const params = redirectParams(await authorize(emu, { state: 'second' }, agent));
    expect(params.get('code')).toBeTruthy();
    expect(params.get('state')).toBe('second');
  });

  it('redirects prompt=none without a session with login_required and the state', async () => {
    const params = redirectParams(await authorize(emu, { prompt: 'none' }, browser(emu)));
    expect(params.get('error')).toBe('login_required');
    expect(params.get('state')).toBe('state-123');
  });

  it('answers prompt=none with login_required even when autoApprove has a login_hint', async () => {
    const auto = await startEmulator({ autoApprove: true });
    try {
      const params = redirectParams(await authorize(auto, { prompt: 'none', login_hint: ALICE.email }, browser(auto)));
      expect(params.get('error')).toBe('login_required');
    } finally {
      await auto.close();
    }
  });

  it('approves prompt=none silently when the browser has a session', async () => {
    const agent = browser(emu);
    redirectParams(await signInAtLoginPage(emu, agent));
    const params = redirectParams(await authorize(emu, { prompt: 'none' }, agent));
    expect(params.get('code')).toBeTruthy();
  });

  it('refuses prompt=none combined with another value with invalid_request', async () => {
    const params = redirectParams(await authorize(emu, { prompt: 'none login' }, browser(emu)));
    expect(params.get('error')).toBe('invalid_request');
  });

  it('shows the login page for prompt=login even with a session', async () => {
    const agent = browser(emu);
    redirectParams(await signInAtLoginPage(emu, agent));
    const res = await authorize(emu, { prompt: 'login' }, agent);
    expect(res.status).toBe(200);
    expect(res.text).toContain('data-email="alice@example.com"');
  });

  it('shows the account list for prompt=select_account even with a session, and lets another user be picked', async () => {
    const agent = browser(emu);
    redirectParams(await signInAtLoginPage(emu, agent));
    const page = await authorize(emu, { prompt: 'select_account' }, agent);
    expect(page.status).toBe(200);
    const res = await agent.post(formAction(page.text, 'login')).type('form').send({ email: BOB.email }).redirects(0);
    const tokens = await exchangeCode(emu, redirectParams(res).get('code')!);
    expect(tokens.body.id_token).toBeTruthy();
    const userinfo = await request(emu.url).get(new URL(emu.userinfoUrl).pathname).set('Authorization', `Bearer ${tokens.body.access_token}`);
    expect(userinfo.body.email).toBe(BOB.email);
  });

  it('shows a consent page with an Allow button after login for prompt=consent', async () => {
    const agent = browser(emu);
    const res = await signInAtLoginPage(emu, agent, { prompt: 'consent' });
    expect(res.status).toBe(200);
    expect(res.text).toContain('data-action="allow"');
  });

  it('redirects with a code when Allow is pressed on the consent page', async () => {
    const agent = browser(emu);
    const consent = await signInAtLoginPage(emu, agent, { prompt: 'consent' });
    const res = await agent.post(formAction(consent.text, 'consent')).type('form').send({ action: 'allow' }).redirects(0);
    expect(redirectParams(res).get('code')).toBeTruthy();
  });

  it('redirects with access_denied when Deny is pressed on the consent page', async () => {
    const agent = browser(emu);
    const consent = await signInAtLoginPage(emu, agent, { prompt: 'consent' });
    const res = await agent.post(formAction(consent.text, 'consent')).type('form').send({ action: 'deny' }).redirects(0);
    expect(redirectParams(res).get('error')).toBe('access_denied');
  });

  it('shows the consent page without the login page for prompt=consent with a session', async () => {
    const agent = browser(emu);
    redirectParams(await signInAtLoginPage(emu, agent));
    const res = await authorize(emu, { prompt: 'consent' }, agent);
    expect(res.text).toContain('data-action="allow"');
    expect(res.text).not.toContain('data-email=');
  });
});
