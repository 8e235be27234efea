import jwt from 'jsonwebtoken';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SpectroCloudEmulator } from '../../src/testing';
import { authorize, CLIENT, codeFor, exchangeCode, pathOf, redirectParams, signIn, startEmulator, tokenRequest } from '../support/emulatorHelpers';

/* The options and faults the conformance suite drives the emulator with. */
describe('RFC 9207 iss in authorization responses', () => {
  let emu: SpectroCloudEmulator;
  beforeAll(async () => {
    emu = await startEmulator({ authorizationResponseIss: true });
  });
  afterEach(() => emu.resetFaults());
  afterAll(() => emu?.close());

  it('advertises authorization_response_iss_parameter_supported and sends iss with a code and with an error', async () => {
    const discovery = await request(emu.url).get(pathOf(emu.discoveryUrl));
    expect(discovery.body.authorization_response_iss_parameter_supported).toBe(true);
    expect(redirectParams(await authorize(emu, { login_hint: 'alice@example.com' })).get('iss')).toBe(emu.issuer);
    emu.setFaults({ deny: true });
    const denied = redirectParams(await authorize(emu, { login_hint: 'alice@example.com' }));
    expect(denied.get('error')).toBe('access_denied');
    expect(denied.get('iss')).toBe(emu.issuer);
  });

  it('sends a wrong iss under the authorizationResponseIss fault, and none under omitAuthorizationResponseIss', async () => {
    emu.setFaults({ authorizationResponseIss: 'https://evil.example.com' });
    expect(redirectParams(await authorize(emu, { login_hint: 'alice@example.com' })).get('iss')).toBe('https://evil.example.com');
    emu.setFaults({ authorizationResponseIss: undefined, omitAuthorizationResponseIss: true });
    expect(redirectParams(await authorize(emu, { login_hint: 'alice@example.com' })).has('iss')).toBe(false);
  });

  it('sends no iss and no flag by default, as Palette does', async () => {
    const plain = await startEmulator();
    try {
      expect((await request(plain.url).get(pathOf(plain.discoveryUrl))).body).not.toHaveProperty('authorization_response_iss_parameter_supported');
      expect(redirectParams(await authorize(plain, { login_hint: 'alice@example.com' })).has('iss')).toBe(false);
    } finally {
      await plain.close();
    }
  });

  it('refuses a malformed fault value', () => {
    expect(() => emu.setFaults({ authorizationResponseIss: '' })).toThrow(/authorizationResponseIss/);
    expect(() => emu.setFaults({ jwksPath: 'a/b' })).toThrow(/jwksPath/);
  });
});

describe('the jwksPath fault', () => {
  let emu: SpectroCloudEmulator;
  beforeAll(async () => {
    emu = await startEmulator();
  });
  afterAll(() => emu?.close());

  it('moves the JWKS: discovery names the new path, it serves the keys there, /keys answers 404', async () => {
    emu.setFaults({ jwksPath: 'keys-moved-42' });
    const discovery = await request(emu.url).get(pathOf(emu.discoveryUrl));
    expect(discovery.body.jwks_uri).toBe(`${emu.issuer}/keys-moved-42`);
    expect((await request(emu.url).get(pathOf(`${emu.issuer}/keys-moved-42`))).body.keys).toHaveLength(1);
    expect((await request(emu.url).get(pathOf(emu.jwksUrl))).status).toBe(404);
    expect((await request(emu.url).get(pathOf(`${emu.issuer}/elsewhere`))).status).toBe(404);
    emu.resetFaults();
    expect((await request(emu.url).get(pathOf(emu.jwksUrl))).status).toBe(200);
  });
});

describe('the refreshTokenGrant option', () => {
  let emu: SpectroCloudEmulator;
  beforeAll(async () => {
    emu = await startEmulator({ refreshTokenGrant: true });
  });
  afterEach(() => emu.resetFaults());
  afterAll(() => emu?.close());

  const refreshGrant = (refreshToken: string) =>
    tokenRequest(emu, { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret });

  it('hands out an opaque refresh token and honours the grant with an ID token that continues the sign-in', async () => {
    const first = await signIn(emu, { nonce: 'n-0123456789' });
    expect(first.refresh_token.split('.')).toHaveLength(1);
    const refreshed = await refreshGrant(first.refresh_token);
    expect(refreshed.status).toBe(200);
    const before = jwt.decode(first.id_token) as jwt.JwtPayload;
    const after = jwt.decode(refreshed.body.id_token) as jwt.JwtPayload;
    expect(after).toMatchObject({ iss: before.iss, sub: before.sub, aud: before.aud, azp: before.azp, auth_time: before.auth_time });
    expect(after.nonce).toBeUndefined();
    expect((await request(emu.url).get(pathOf(emu.discoveryUrl))).body.grant_types_supported).toContain('refresh_token');
  });

  it('tells an idToken fault which grant it answers', async () => {
    const grants: string[] = [];
    emu.setFaults({ idToken: ({ claims, sign, grantType }) => (grants.push(grantType), sign(claims)) });
    const first = await signIn(emu);
    await refreshGrant(first.refresh_token);
    expect(grants).toEqual(['authorization_code', 'refresh_token']);
  });

  it('refuses an unknown refresh token', async () => {
    expect((await refreshGrant('not-a-refresh-token')).body.error).toBe('invalid_grant');
  });

  it('counts token requests that authenticated with client_secret_basic', async () => {
    const before = emu.stats.basicAuthTokenRequests;
    const code = await codeFor(emu);
    await exchangeCode(emu, code);
    expect(emu.stats.basicAuthTokenRequests).toBe(before);
    const basic = await codeFor(emu);
    const { client_id: _id, client_secret: _secret, ...body } = { grant_type: 'authorization_code', code: basic, redirect_uri: CLIENT.redirectUris[0], client_id: '', client_secret: '' };
    expect((await tokenRequest(emu, body, { id: CLIENT.clientId, secret: CLIENT.clientSecret })).status).toBe(200);
    expect(emu.stats.basicAuthTokenRequests).toBe(before + 1);
  });
});
