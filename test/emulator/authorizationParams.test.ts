import jwt from 'jsonwebtoken';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SpectroCloudEmulator } from '../../src/testing';
import { ALICE, authorize, BOB, exchangeCode, formAction, redirectParams, signIn, startEmulator } from '../support/emulatorHelpers';

type Agent = ReturnType<typeof request.agent>;

/** The ID token's claims for a code, after exchanging it. */
async function claimsFor(emu: SpectroCloudEmulator, code: string): Promise<jwt.JwtPayload> {
  return jwt.decode((await exchangeCode(emu, code)).body.id_token) as jwt.JwtPayload;
}

describe('login_hint', () => {
  let emu: SpectroCloudEmulator;
  beforeAll(async () => {
    emu = await startEmulator({ autoApprove: false });
  });
  afterAll(() => emu.close());

  it('puts the hinted user first on the login page, marked and focused', async () => {
    const page = await authorize(emu, { login_hint: BOB.email });
    expect(page.status).toBe(200);
    const buttons = [...page.text.matchAll(/<button type="submit" data-email="([^"]+)"([^>]*)>/g)];
    expect(buttons.map(b => b[1])).toEqual([BOB.email, ALICE.email]);
    expect(buttons[0][2]).toBe(' data-hinted="true" autofocus');
    expect(buttons[1][2]).toBe('');
  });

  it('matches the hint case-insensitively, like email addresses', async () => {
    const page = await authorize(emu, { login_hint: BOB.email.toUpperCase() });
    expect(page.text).toContain(`data-email="${BOB.email}" data-hinted="true"`);
  });

  it('marks nobody when the hint names no user', async () => {
    const page = await authorize(emu, { login_hint: 'nobody@example.com' });
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('data-hinted');
  });

  it('shows the login page instead of SSO when the hint names another user than the signed-in one', async () => {
    const agent = request.agent(emu.url);
    const page = await authorize(emu, {}, agent);
    redirectParams(await agent.post(formAction(page.text, 'login')).type('form').send({ email: ALICE.email }).redirects(0));
    expect((await authorize(emu, { login_hint: ALICE.email }, agent)).status).toBe(302);
    const switchPage = await authorize(emu, { login_hint: BOB.email }, agent);
    expect(switchPage.status).toBe(200);
    expect(switchPage.text).toContain(`data-email="${BOB.email}" data-hinted="true"`);
  });

  it('signs a known hinted user in directly with emulator_auto=1 (or the autoApprove option)', async () => {
    const code = redirectParams(await authorize(emu, { login_hint: BOB.email, emulator_auto: '1' })).get('code')!;
    expect(await claimsFor(emu, code)).toMatchObject({ email: BOB.email });
  });

  it('shows the login page for an unknown hinted user even with emulator_auto=1', async () => {
    expect((await authorize(emu, { login_hint: 'nobody@example.com', emulator_auto: '1' })).status).toBe(200);
  });
});

describe('max_age and auth_time', () => {
  let emu: SpectroCloudEmulator;
  let now = Date.parse('2026-11-30T09:00:00Z');
  const seconds = () => Math.floor(now / 1000);
  beforeAll(async () => {
    emu = await startEmulator({ autoApprove: false, clock: () => now });
  });
  afterAll(() => emu.close());

  /** A browser that signed in as Alice at the login page at the current (injected) time; returns the sign-in time. */
  async function signedIn(): Promise<{ agent: Agent; authTime: number }> {
    const agent = request.agent(emu.url);
    const page = await authorize(emu, {}, agent);
    const code = redirectParams(await agent.post(formAction(page.text, 'login')).type('form').send({ email: ALICE.email }).redirects(0)).get('code')!;
    return { agent, authTime: (await claimsFor(emu, code)).auth_time! };
  }

  it('puts auth_time in every ID token: the moment of a fresh sign-in', async () => {
    const { authTime } = await signedIn();
    expect(authTime).toBe(seconds());
  });

  it('keeps the original auth_time on a silent SSO sign-in later', async () => {
    const { agent, authTime } = await signedIn();
    now += 120_000;
    const claims = await claimsFor(emu, redirectParams(await authorize(emu, {}, agent)).get('code')!);
    expect(claims.auth_time).toBe(authTime);
    expect(claims.iat).toBe(authTime + 120);
  });

  it('forces the login page when the session is older than max_age', async () => {
    const { agent } = await signedIn();
    now += 120_000;
    const res = await authorize(emu, { max_age: '60' }, agent);
    expect(res.status).toBe(200);
    expect(res.text).toContain('data-email=');
  });

  it('signs in silently when the session is younger than max_age', async () => {
    const { agent, authTime } = await signedIn();
    now += 120_000;
    const claims = await claimsFor(emu, redirectParams(await authorize(emu, { max_age: '600' }, agent)).get('code')!);
    expect(claims.auth_time).toBe(authTime);
  });

  it('a fresh sign-in after max_age forced the login page carries the new auth_time', async () => {
    const { agent } = await signedIn();
    now += 120_000;
    const page = await authorize(emu, { max_age: '60' }, agent);
    const code = redirectParams(await agent.post(formAction(page.text, 'login')).type('form').send({ email: ALICE.email }).redirects(0)).get('code')!;
    expect((await claimsFor(emu, code)).auth_time).toBe(seconds());
  });

  it('treats max_age=0 as "sign in now"', async () => {
    const { agent } = await signedIn();
    expect((await authorize(emu, { max_age: '0' }, agent)).status).toBe(200);
  });

  it('answers prompt=none with login_required when the session is older than max_age', async () => {
    const { agent } = await signedIn();
    now += 120_000;
    const params = redirectParams(await authorize(emu, { prompt: 'none', max_age: '60' }, agent));
    expect(params.get('error')).toBe('login_required');
  });

  it('refuses a max_age that is not a whole number with invalid_request', async () => {
    const params = redirectParams(await authorize(emu, { max_age: 'soon' }));
    expect(params.get('error')).toBe('invalid_request');
    expect(params.get('error_description')).toContain('max_age');
  });
});

describe('acr_values', () => {
  let emu: SpectroCloudEmulator;
  beforeAll(async () => {
    emu = await startEmulator();
  });
  afterAll(() => emu.close());

  it('echoes the first requested value as the acr claim', async () => {
    const claims = jwt.decode((await signIn(emu, { acr_values: 'urn:palette:mfa urn:palette:password' })).id_token);
    expect(claims).toMatchObject({ acr: 'urn:palette:mfa' });
  });

  it('leaves acr out when none was requested', async () => {
    expect(jwt.decode((await signIn(emu)).id_token)).not.toHaveProperty('acr');
  });
});

describe('the last authorization request, recorded for tests', () => {
  let emu: SpectroCloudEmulator;
  beforeAll(async () => {
    emu = await startEmulator();
  });
  afterAll(() => emu.close());

  it('is undefined (and 404 over HTTP) before the first request', async () => {
    expect(emu.lastAuthorizationRequest).toBeUndefined();
    expect((await request(emu.url).get('/__emulator/authorization-request')).status).toBe(404);
  });

  it('holds every parameter exactly as it arrived, unknown ones included', async () => {
    await authorize(emu, { login_hint: ALICE.email, max_age: '30', acr_values: 'a b', ui_locales: 'de', nonce: 'n-1' });
    expect(emu.lastAuthorizationRequest).toMatchObject({ login_hint: ALICE.email, max_age: '30', acr_values: 'a b', ui_locales: 'de', nonce: 'n-1', state: 'state-123' });
    expect((await request(emu.url).get('/__emulator/authorization-request')).body).toEqual(emu.lastAuthorizationRequest);
  });

  it('records requests the emulator refused too', async () => {
    await authorize(emu, { client_id: 'unknown-app' });
    expect(emu.lastAuthorizationRequest?.client_id).toBe('unknown-app');
  });

  it('records a POSTed authorization request', async () => {
    await request(emu.url).post(new URL(emu.authorizationUrl).pathname).type('form').send({ client_id: 'posted', scope: 'openid' }).redirects(0);
    expect(emu.lastAuthorizationRequest).toEqual({ client_id: 'posted', scope: 'openid' });
  });

  it('hands out a copy that tests cannot change', async () => {
    await authorize(emu, { state: 'original' });
    emu.lastAuthorizationRequest!.state = 'changed';
    expect(emu.lastAuthorizationRequest?.state).toBe('original');
  });
});
