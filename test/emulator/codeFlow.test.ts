import { createPublicKey, createSecretKey } from 'node:crypto';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SpectroCloudEmulator } from '../../src/testing';
import { registerSecret } from '../support/secrets';
import {
  ALICE,
  authorize,
  authParams,
  CLIENT,
  codeFor,
  exchangeCode,
  pathOf,
  pkcePair,
  REDIRECT_URI,
  redirectParams,
  signIn,
  startEmulator,
  tokenRequest,
  verifyAgainstJwks,
} from '../support/emulatorHelpers';

describe('authorization code flow', () => {
  let emu: SpectroCloudEmulator;
  beforeAll(async () => {
    emu = await startEmulator();
  });
  afterAll(() => emu.close());

  it('redirects at once to the redirect_uri with a code and the state when login_hint meets autoApprove', async () => {
    const res = await authorize(emu, { login_hint: ALICE.email });
    const params = redirectParams(res);
    expect(res.headers.location.startsWith(`${REDIRECT_URI}?`)).toBe(true);
    expect(params.get('code')).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(params.get('state')).toBe('state-123');
  });

  it('auto-approves with emulator_auto=1 even without the autoApprove option', async () => {
    const manual = await startEmulator({ autoApprove: false });
    try {
      const res = await authorize(manual, { login_hint: ALICE.email, emulator_auto: '1' });
      expect(redirectParams(res).get('code')).toBeTruthy();
    } finally {
      await manual.close();
    }
  });

  it('shows the login page for a login_hint when auto approval is off', async () => {
    const manual = await startEmulator({ autoApprove: false });
    try {
      const res = await authorize(manual, { login_hint: ALICE.email });
      expect(res.status).toBe(200);
      expect(res.text).toContain('data-email="alice@example.com"');
    } finally {
      await manual.close();
    }
  });

  it('accepts the authorization request as a POST form too', async () => {
    const res = await request(emu.url)
      .post(pathOf(emu.authorizationUrl))
      .type('form')
      .send(authParams({ login_hint: ALICE.email }))
      .redirects(0);
    expect(redirectParams(res).get('state')).toBe('state-123');
  });

  it('answers the token request with access_token, Bearer type, expires_in, id_token, refresh_token and scope', async () => {
    const tokens = await signIn(emu);
    expect(Object.keys(tokens).sort()).toEqual(['access_token', 'expires_in', 'id_token', 'refresh_token', 'scope', 'token_type']);
    expect(tokens.token_type).toBe('Bearer');
    expect(tokens.expires_in).toBe(3600);
    expect(tokens.scope).toBe('openid profile email groups');
  });

  it('marks the token response as not cacheable', async () => {
    const code = await codeFor(emu);
    const res = await exchangeCode(emu, code);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('signs an ID token that verifies against the JWKS with RS256 and carries the kid', async () => {
    const tokens = await signIn(emu);
    const header = jwt.decode(tokens.id_token, { complete: true })!.header;
    expect(header.alg).toBe('RS256');
    expect(header.kid).toBe(emu.currentKid);
    await expect(verifyAgainstJwks(emu, tokens.id_token)).resolves.toBeTruthy();
  });

  it('puts the nonce of the authorization request into the ID token', async () => {
    const tokens = await signIn(emu, { nonce: 'nonce-from-the-client' });
    const claims = await verifyAgainstJwks(emu, tokens.id_token);
    expect(claims.nonce).toBe('nonce-from-the-client');
  });

  it('leaves the nonce claim out when the authorization request had none', async () => {
    const claims = jwt.decode((await signIn(emu)).id_token) as jwt.JwtPayload;
    expect(claims).not.toHaveProperty('nonce');
  });

  it('puts the user profile, groups, audience and authorized party into the ID token', async () => {
    const claims = await verifyAgainstJwks(emu, (await signIn(emu)).id_token);
    expect(claims).toMatchObject({
      iss: emu.issuer,
      aud: CLIENT.clientId,
      azp: CLIENT.clientId,
      email: 'alice@example.com',
      email_verified: true,
      given_name: 'Alice',
      family_name: 'Example',
      name: 'Alice Example',
      groups: ['platform-team', 'developers'],
    });
    expect(claims.sub).toMatch(/^[0-9a-f]{24}$/);
    expect(claims.exp! - claims.iat!).toBe(3600);
  });

  it('uses idTokenTtlSeconds for exp and expires_in', async () => {
    const short = await startEmulator({ idTokenTtlSeconds: 120 });
    try {
      const tokens = await signIn(short);
      const claims = jwt.decode(tokens.id_token) as jwt.JwtPayload;
      expect(claims.exp! - claims.iat!).toBe(120);
      expect(tokens.expires_in).toBe(120);
    } finally {
      await short.close();
    }
  });

  it('hands out an HS256-signed Palette token as the refresh_token, not an opaque OAuth refresh token', async () => {
    const tokens = await signIn(emu);
    const decoded = jwt.decode(tokens.refresh_token, { complete: true })!;
    expect(decoded.header.alg).toBe('HS256');
    const idClaims = jwt.decode(tokens.id_token) as jwt.JwtPayload;
    expect(decoded.payload).toMatchObject({ sub: idClaims.sub, email: 'alice@example.com', iss: 'spectrocloud-session', exp: idClaims.exp });
    expect(emu.verifyPaletteToken(tokens.refresh_token)).toMatchObject({ email: 'alice@example.com' });
  });

  it('signs the Palette token with a private HMAC secret, not the RSA key', async () => {
    const tokens = await signIn(emu);
    const pem = createPublicKey({ key: emu.jwks.keys[0] as any, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
    const hmacOfPem = createSecretKey(Buffer.from(pem));
    expect(() => jwt.verify(tokens.refresh_token, hmacOfPem, { algorithms: ['HS256'] })).toThrow(/invalid signature/);
  });

  it('refuses the refresh_token grant with invalid_grant, because Palette has none', async () => {
    const tokens = await signIn(emu);
    const res = await tokenRequest(emu, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
      client_id: CLIENT.clientId,
      client_secret: CLIENT.clientSecret,
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_grant');
  });

  it('refuses grant types other than authorization_code', async () => {
    const res = await tokenRequest(emu, { grant_type: 'client_credentials', client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('unsupported_grant_type');
  });

  it('answers userinfo with the user claims for the access token', async () => {
    const tokens = await signIn(emu);
    const res = await request(emu.url).get(pathOf(emu.userinfoUrl)).set('Authorization', `Bearer ${tokens.access_token}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ email: 'alice@example.com', name: 'Alice Example', groups: ['platform-team', 'developers'] });
  });

  it('refuses userinfo for an unknown access token with 401 invalid_token', async () => {
    const res = await request(emu.url).get(pathOf(emu.userinfoUrl)).set('Authorization', 'Bearer not-a-token');
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toContain('invalid_token');
  });

  it('refuses userinfo without an Authorization header', async () => {
    const res = await request(emu.url).get(pathOf(emu.userinfoUrl));
    expect(res.status).toBe(401);
  });
});

describe('paletteTokenAsCode', () => {
  let emu: SpectroCloudEmulator;
  beforeAll(async () => {
    emu = await startEmulator({ paletteTokenAsCode: true });
  });
  afterAll(() => emu.close());

  it('hands out the HS256 Palette token as the authorization code', async () => {
    const code = await codeFor(emu);
    expect(jwt.decode(code, { complete: true })!.header.alg).toBe('HS256');
    expect(emu.verifyPaletteToken(code)).toMatchObject({ email: 'alice@example.com', iss: 'spectrocloud-session' });
  });

  it('returns the same Palette token as the refresh_token', async () => {
    const code = await codeFor(emu);
    const res = await exchangeCode(emu, code);
    expect(res.status).toBe(200);
    expect(res.body.refresh_token).toBe(code);
  });

  it('still lets the code be used only once', async () => {
    const code = await codeFor(emu);
    expect((await exchangeCode(emu, code)).status).toBe(200);
    const again = await exchangeCode(emu, code);
    expect(again.status).toBe(400);
    expect(again.body.error).toBe('invalid_grant');
  });

  it('refuses a Palette token it signed but never issued as a code', async () => {
    const forged = emu.signPaletteToken({ sub: 'x', email: 'alice@example.com', iss: 'spectrocloud-session' });
    registerSecret(forged);
    const res = await exchangeCode(emu, forged);
    expect(res.body.error).toBe('invalid_grant');
  });

  it('still checks PKCE for a Palette-token code', async () => {
    const { challenge } = pkcePair();
    const code = await codeFor(emu, { code_challenge: challenge, code_challenge_method: 'S256' });
    const res = await exchangeCode(emu, code, { code_verifier: pkcePair().verifier });
    expect(res.body.error).toBe('invalid_grant');
  });
});
