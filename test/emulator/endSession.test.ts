import { generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SpectroCloudEmulator } from '../../src/testing';
import { registerSecret } from '../support/secrets';
import { ALICE, authorize, BOB, CLIENT, exchangeCode, formAction, OTHER_CLIENT, pathOf, redirectParams, startEmulator } from '../support/emulatorHelpers';

const SIGNED_OUT = 'http://localhost:7007/signed-out';
const COOKIE = 'spectrocloud_emulator_session';

type Agent = ReturnType<typeof request.agent>;

describe('end_session_endpoint (RP-Initiated Logout)', () => {
  let emu: SpectroCloudEmulator;
  let now = Date.now();
  beforeAll(async () => {
    emu = await startEmulator({
      clients: [{ ...CLIENT, postLogoutRedirectUris: [SIGNED_OUT] }, OTHER_CLIENT],
      users: [ALICE, BOB],
      clock: () => now,
    });
  });
  afterAll(() => emu.close());

  /** A browser signed in as Alice at the emulator, and the ID token it got. */
  async function signedInBrowser(): Promise<{ agent: Agent; idToken: string; cookie: string }> {
    const agent = request.agent(emu.url);
    const res = await authorize(emu, { login_hint: ALICE.email }, agent);
    const cookie = (res.headers['set-cookie'] as unknown as string[]).find(c => c.startsWith(`${COOKIE}=`))!.split(';')[0];
    registerSecret(cookie.slice(COOKIE.length + 1));
    const tokens = await exchangeCode(emu, redirectParams(res).get('code')!);
    return { agent, idToken: tokens.body.id_token, cookie };
  }

  function endSession(agent: Agent, params: Record<string, string>) {
    return agent.get(pathOf(emu.endSessionUrl)).query(params).redirects(0);
  }

  /** Whether the browser still has an SSO session: a silent sign-in answers with a code, none shows the login page. */
  async function hasSession(agent: Agent): Promise<boolean> {
    const res = await authorize(emu, {}, agent);
    if (res.status === 302) redirectParams(res);
    return res.status === 302;
  }

  function expectSessionCookieCleared(res: { headers: Record<string, unknown> }): void {
    const cleared = (res.headers['set-cookie'] as string[]).find(c => c.startsWith(`${COOKIE}=;`));
    expect(cleared).toMatch(/Expires=Thu, 01 Jan 1970/);
  }

  it('is advertised in the discovery document', async () => {
    const { body } = await request(emu.url).get(pathOf(emu.discoveryUrl));
    expect(body.end_session_endpoint).toBe(emu.endSessionUrl);
    expect(emu.endSessionUrl).toBe(`${emu.issuer}/logout`);
  });

  it('ends the session and redirects to the registered post_logout_redirect_uri with the state', async () => {
    const { agent, idToken } = await signedInBrowser();
    expect(await hasSession(agent)).toBe(true);
    const res = await endSession(agent, { id_token_hint: idToken, post_logout_redirect_uri: SIGNED_OUT, state: 'bye-42' });
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe(`${SIGNED_OUT}?state=bye-42`);
    expectSessionCookieCleared(res);
    expect(await hasSession(agent)).toBe(false);
  });

  it('accepts the same parameters as a POSTed form', async () => {
    const { agent, idToken } = await signedInBrowser();
    const res = await agent
      .post(pathOf(emu.endSessionUrl))
      .type('form')
      .send({ id_token_hint: idToken, post_logout_redirect_uri: SIGNED_OUT, state: 's' })
      .redirects(0);
    expect(res.headers.location).toBe(`${SIGNED_OUT}?state=s`);
    expect(await hasSession(agent)).toBe(false);
  });

  it('forgets the session server-side, so a replayed session cookie signs nobody in', async () => {
    const { agent, idToken, cookie } = await signedInBrowser();
    await endSession(agent, { id_token_hint: idToken });
    const replay = await request(emu.url).get(pathOf(emu.authorizationUrl)).query(authQuery()).set('Cookie', cookie).redirects(0);
    expect(replay.status).toBe(200);
    expect(replay.text).toContain('data-email=');
  });

  it('shows a signed-out page when no post_logout_redirect_uri is given', async () => {
    const { agent, idToken } = await signedInBrowser();
    const res = await endSession(agent, { id_token_hint: idToken });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.text).toContain('data-signed-out');
    expectSessionCookieCleared(res);
    expect(await hasSession(agent)).toBe(false);
  });

  it('accepts an id_token_hint whose expiry has passed', async () => {
    const { agent, idToken } = await signedInBrowser();
    now += 2 * 3600 * 1000; // the ID token lives 3600 s
    try {
      const res = await endSession(agent, { id_token_hint: idToken, post_logout_redirect_uri: SIGNED_OUT });
      expect(res.status).toBe(302);
    } finally {
      now -= 2 * 3600 * 1000;
    }
  });

  it('accepts client_id instead of an id_token_hint', async () => {
    const { agent } = await signedInBrowser();
    const res = await endSession(agent, { client_id: CLIENT.clientId, post_logout_redirect_uri: SIGNED_OUT });
    expect(res.headers.location).toBe(SIGNED_OUT);
    expect(await hasSession(agent)).toBe(false);
  });

  it('lets the user pick another account at the next sign-in', async () => {
    const { agent, idToken } = await signedInBrowser();
    await endSession(agent, { id_token_hint: idToken });
    const page = await authorize(emu, {}, agent);
    expect(page.status).toBe(200);
    const res = await agent.post(formAction(page.text, 'login')).type('form').send({ email: BOB.email }).redirects(0);
    const tokens = await exchangeCode(emu, redirectParams(res).get('code')!);
    expect(jwt.decode(tokens.body.id_token)).toMatchObject({ email: BOB.email });
  });

  describe('refuses with a 400 page, without signing out or redirecting', () => {
    async function expectRefused(params: (idToken: string) => Record<string, string>, fragment: RegExp) {
      const { agent, idToken } = await signedInBrowser();
      const res = await endSession(agent, params(idToken));
      expect(res.status).toBe(400);
      expect(res.headers.location).toBeUndefined();
      expect(res.headers['set-cookie']).toBeUndefined();
      expect(res.text).toMatch(fragment);
      expect(res.text).not.toContain(idToken);
      expect(await hasSession(agent)).toBe(true);
    }

    const forged = (claims: Record<string, unknown>, opts?: Parameters<SpectroCloudEmulator['signIdToken']>[1]) => {
      const token = emu.signIdToken(claims, opts);
      registerSecret(token);
      return token;
    };

    it('an id_token_hint that is not a JWT', () =>
      expectRefused(() => ({ id_token_hint: 'not-a-jwt', post_logout_redirect_uri: SIGNED_OUT }), /id_token_hint/));

    it('an id_token_hint signed with a key the tenant does not publish', () => {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      return expectRefused(() => ({ id_token_hint: forged(emu.idTokenClaims(ALICE.email), { key: privateKey }), post_logout_redirect_uri: SIGNED_OUT }), /id_token_hint/);
    });

    it('an unsigned (alg none) id_token_hint', () =>
      expectRefused(() => ({ id_token_hint: forged(emu.idTokenClaims(ALICE.email), { alg: 'none' }), post_logout_redirect_uri: SIGNED_OUT }), /id_token_hint/));

    it('an id_token_hint forged as HS256 keyed with the public key (algorithm confusion)', () =>
      expectRefused(() => ({ id_token_hint: forged(emu.idTokenClaims(ALICE.email), { alg: 'HS256' }), post_logout_redirect_uri: SIGNED_OUT }), /id_token_hint/));

    it('an id_token_hint from another issuer', () =>
      expectRefused(() => ({ id_token_hint: forged(emu.idTokenClaims(ALICE.email, { iss: 'https://elsewhere.example' })) }), /id_token_hint/));

    it('an id_token_hint signed with a key withdrawn from the JWKS', async () => {
      const { idToken: old } = await signedInBrowser();
      emu.rotateKeys({ keepOld: false });
      await expectRefused(() => ({ id_token_hint: old }), /id_token_hint/);
    });

    it('a post_logout_redirect_uri that is not registered', () =>
      expectRefused(idToken => ({ id_token_hint: idToken, post_logout_redirect_uri: 'https://evil.example/' }), /not registered/));

    it('a post_logout_redirect_uri that only starts like a registered one', () =>
      expectRefused(idToken => ({ id_token_hint: idToken, post_logout_redirect_uri: `${SIGNED_OUT}/../evil` }), /not registered/));

    it('the sign-in redirect_uri, which is not a post-logout URI', () =>
      expectRefused(idToken => ({ id_token_hint: idToken, post_logout_redirect_uri: CLIENT.redirectUris[0] }), /not registered/));

    it('a post_logout_redirect_uri for a client that registered none', () =>
      expectRefused(() => ({ client_id: OTHER_CLIENT.clientId, post_logout_redirect_uri: SIGNED_OUT }), /not registered/));

    it('a client_id that the id_token_hint was not issued to', () =>
      expectRefused(idToken => ({ id_token_hint: idToken, client_id: OTHER_CLIENT.clientId, post_logout_redirect_uri: SIGNED_OUT }), /not issued to this client_id/));

    it('an unknown client_id', () => expectRefused(() => ({ client_id: 'unknown-app' }), /Unknown client_id/));

    it('a post_logout_redirect_uri without id_token_hint or client_id', () =>
      expectRefused(() => ({ post_logout_redirect_uri: SIGNED_OUT }), /needs an id_token_hint or a client_id/));
  });

  it('counts end-session requests', async () => {
    const before = emu.stats.endSessionRequests;
    await endSession(request.agent(emu.url), {});
    expect(emu.stats.endSessionRequests).toBe(before + 1);
  });
});

function authQuery(): Record<string, string> {
  return { client_id: CLIENT.clientId, redirect_uri: CLIENT.redirectUris[0], response_type: 'code', scope: 'openid' };
}
