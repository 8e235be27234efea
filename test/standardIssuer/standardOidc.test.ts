import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import jwt from 'jsonwebtoken';
import { callback, CookieJar, logout, refresh, startSignIn } from '../support/spectroFixture';
import { verifyAtIssuer } from '../support/standardOidcServer';
import { CLIENT_ID, startStandardIssuerFixture as startSetup, type StandardIssuerFixture as Setup } from '../support/standardIssuerFixture';

/**
 * The same legacy-backend sign-in as test/signIn/signIn.test.ts, against panva's
 * oidc-provider instead of our SpectroCloud emulator: a standard issuer with
 * its own endpoint layout, real refresh tokens, strict PKCE and client
 * authentication. What the emulator cannot show is proven here: discovery is
 * really used, a real refresh token is kept server-side and `/refresh`
 * performs a real `refresh_token` grant whose new ID token we verify.
 */

/** start -> oidc-provider (login and consent) -> handler/frame, as one browser. */
async function signIn(setup: Setup, email = 'alice@example.com', jar = new CookieJar()) {
  const issuedBefore = setup.op.refreshTokens.length;
  const start = await startSignIn(setup, jar);
  if (start.status !== 302) throw new Error(`start answered ${start.status}: ${start.text}`);
  const callbackUrl = await setup.op.authorize(start.headers.location, email);
  const frame = await callback(setup, jar, callbackUrl);
  return { jar, frame, start, callbackUrl, issued: setup.op.refreshTokens.slice(issuedBefore) };
}

/**
 * Moves this process's clock (Date only: backend, issuer and verifier alike)
 * forward instead of waiting; timers keep real time. Undone after each test.
 */
function moveClockTo(epochMs: number) {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(epochMs);
}
afterEach(() => {
  vi.useRealTimers();
});

/** Moves the clock one second past the ID token's `exp`. */
function outlive(idToken: string) {
  const { exp } = jwt.decode(idToken) as jwt.JwtPayload;
  moveClockTo(exp! * 1000 + 1000);
}

describe('a standard OIDC issuer (oidc-provider), client_secret_post', () => {
  let setup: Setup;
  beforeAll(async () => {
    // Every /refresh a refresh grant: the grant itself is what these tests look at (the shortcut has its own block below).
    setup = await startSetup({ refreshGrantInterval: 0 });
  });
  afterAll(() => setup?.close());
  afterEach(() => expect(setup.op.serverErrors).toEqual([]));

  it('signs in through oidc-provider: profile, a verified RS256 ID token and a Backstage identity', async () => {
    const { frame } = await signIn(setup, 'alice@example.com');
    expect(frame.status).toBe(200);
    expect(frame.message.error).toBeUndefined();
    const { profile, providerInfo, backstageIdentity } = frame.message.response;
    expect(profile).toEqual({ email: 'alice@example.com', displayName: 'Alice Example' });
    expect(jwt.decode(providerInfo.idToken, { complete: true })?.header.alg).toBe('RS256');
    const claims = await verifyAtIssuer(setup.op, providerInfo.idToken, CLIENT_ID);
    expect(claims).toMatchObject({ sub: 'acct-alice-0001', email: 'alice@example.com' });
    expect(providerInfo.scope.split(' ')).toEqual(expect.arrayContaining(['openid', 'profile', 'email', 'offline_access']));
    expect(backstageIdentity.identity.userEntityRef).toBe('user:default/alice');
    expect((jwt.decode(backstageIdentity.token) as jwt.JwtPayload).sub).toBe('user:default/alice');
  });

  it('finds the token and JWKS endpoints by discovery (oidc-provider has /token and /jwks, no /keys)', async () => {
    await signIn(setup, 'alice@example.com');
    const { requests } = setup.op;
    expect(requests).toContain('GET /.well-known/openid-configuration');
    expect(requests).toContain('POST /token');
    expect(requests).toContain('GET /jwks');
    expect(requests.filter(line => line.endsWith('/keys'))).toEqual([]);
  });

  it('sends what oidc-provider checks: S256 PKCE, a nonce, offline_access with prompt=consent', async () => {
    await signIn(setup, 'alice@example.com');
    const seen = setup.op.interactions.at(-1)!;
    expect(seen.codeChallengeMethod).toBe('S256');
    expect(seen.hasNonce).toBe(true);
    expect(seen.promptParam).toBe('consent');
    expect(seen.scope?.split(' ')).toEqual(expect.arrayContaining(['openid', 'profile', 'email', 'offline_access']));
    expect(seen.loginHint).toBe('alice@example.com');
  });

  it('gets an ID token from oidc-provider carrying the nonce sent at /start', async () => {
    const { frame, start } = await signIn(setup, 'alice@example.com');
    const sentNonce = new URL(start.headers.location).searchParams.get('nonce');
    const claims = await verifyAtIssuer(setup.op, frame.message.response.providerInfo.idToken, CLIENT_ID);
    expect(claims.nonce).toBe(sentNonce);
  });

  it('is up against a server that really requires PKCE: without a code challenge oidc-provider refuses', async () => {
    const start = await startSignIn(setup, new CookieJar());
    const location = new URL(start.headers.location);
    location.searchParams.delete('code_challenge');
    location.searchParams.delete('code_challenge_method');
    const callbackUrl = new URL(await setup.op.authorize(location.toString(), 'alice@example.com'));
    expect(callbackUrl.searchParams.get('error')).toBe('invalid_request');
    expect(callbackUrl.searchParams.get('error_description')).toMatch(/PKCE/);
    expect(callbackUrl.searchParams.get('code')).toBeNull();
  });

  it('receives a real, opaque refresh token from oidc-provider at sign-in (not an HS256 session token)', async () => {
    const callsBefore = setup.op.tokenCalls.length;
    const { issued } = await signIn(setup, 'alice@example.com');
    const calls = setup.op.tokenCalls.slice(callsBefore);
    expect(calls).toEqual([expect.objectContaining({ grantType: 'authorization_code', clientId: CLIENT_ID, clientAuth: 'post' })]);
    expect(calls[0].error).toBeUndefined();
    expect(issued).toHaveLength(1);
    expect(issued[0]).toMatchObject({ clientId: CLIENT_ID });
    expect(issued[0].scope?.split(' ')).toContain('offline_access');
    // opaque: no JWT, so nothing the SpectroCloud session-token detection could mistake for its HS256 token
    expect(issued[0].value.split('.')).toHaveLength(1);
  });

  it('keeps the refresh token server-side: not in the page, not readable in any cookie, no SpectroCloud session cookie', async () => {
    const { jar, frame, issued } = await signIn(setup, 'alice@example.com');
    const refreshToken = issued[0].value;
    expect(frame.message.response.providerInfo.refreshToken).toBeUndefined();
    expect(frame.html).not.toContain(refreshToken);
    for (const value of jar.values.values()) expect(value).not.toContain(refreshToken);
    expect(jar.values.has('spectrocloud-refresh-token')).toBe(true);
    expect(jar.values.has('spectrocloud-api-token')).toBe(false);
  });

  it('/refresh performs a real refresh_token grant and returns a new ID token, verified, and a fresh Backstage token', async () => {
    const { jar, frame, issued } = await signIn(setup, 'alice@example.com');
    const before = frame.message.response;
    moveClockTo(Date.now() + 1100); // a new ID token then has a later iat
    const callsBefore = setup.op.tokenCalls.length;
    const response = await refresh(setup, jar);
    expect(response.status).toBe(200);
    const calls = setup.op.tokenCalls.slice(callsBefore);
    expect(calls).toEqual([
      expect.objectContaining({ grantType: 'refresh_token', clientId: CLIENT_ID, clientAuth: 'post', refreshTokenUsed: issued[0].value }),
    ]);
    expect(calls[0].error).toBeUndefined();
    const { providerInfo, backstageIdentity, profile } = response.body;
    // the very ID token this refresh grant answered with, not the one from sign-in
    expect(providerInfo.idToken).toBe(calls[0].idToken);
    expect(providerInfo.idToken).not.toBe(before.providerInfo.idToken);
    expect(providerInfo.accessToken).not.toBe(before.providerInfo.accessToken);
    const oldClaims = jwt.decode(before.providerInfo.idToken) as jwt.JwtPayload;
    const newClaims = await verifyAtIssuer(setup.op, providerInfo.idToken, CLIENT_ID);
    expect(newClaims.iat).toBeGreaterThan(oldClaims.iat!);
    expect(newClaims.sub).toBe(oldClaims.sub);
    expect(providerInfo.refreshToken).toBeUndefined();
    expect(profile).toEqual({ email: 'alice@example.com', displayName: 'Alice Example' });
    expect(backstageIdentity.identity.userEntityRef).toBe('user:default/alice');
    expect(backstageIdentity.token).not.toBe(before.backstageIdentity.token);
    expect(JSON.stringify(response.body)).not.toContain(issued[0].value);
  });

  it('answers /refresh with the scope the Backstage frontend sends (openid profile email)', async () => {
    const { jar } = await signIn(setup, 'alice@example.com');
    const callsBefore = setup.op.tokenCalls.length;
    const response = await refresh(setup, jar, { scope: 'openid profile email' });
    expect(response.status).toBe(200);
    expect(setup.op.tokenCalls.slice(callsBefore).map(call => call.grantType)).toEqual(['refresh_token']);
    await verifyAtIssuer(setup.op, response.body.providerInfo.idToken, CLIENT_ID);
    expect(response.body.backstageIdentity.identity.userEntityRef).toBe('user:default/alice');
  });

  it('keeps refreshing with the cookie each refresh wrote', async () => {
    const { jar } = await signIn(setup, 'bob@example.com');
    for (let round = 0; round < 3; round++) {
      const response = await refresh(setup, jar);
      expect(response.status).toBe(200);
      expect(response.body.profile).toEqual({ email: 'bob@example.com', displayName: 'Bob Builder' });
      expect(response.body.backstageIdentity.identity.userEntityRef).toBe('user:default/bobby');
    }
  });

  it('answers /refresh with a readable 401 once oidc-provider has revoked the refresh token', async () => {
    const { jar, issued } = await signIn(setup, 'alice@example.com');
    expect(await setup.op.revoke(issued[0].value)).toBe(200);
    expect(setup.op.revokedGrants).toContain(issued[0].grantId);
    const callsBefore = setup.op.tokenCalls.length;
    const response = await refresh(setup, jar);
    expect(response.status).toBe(401);
    expect(response.body.error.name).toBe('AuthenticationError');
    expect(response.body.error.message).toMatch(/^Refresh failed/);
    expect(response.body.error.cause.message).toMatch(/token endpoint refused the request \(HTTP 400, invalid_grant/);
    expect(setup.op.tokenCalls.slice(callsBefore)).toEqual([
      expect.objectContaining({ grantType: 'refresh_token', error: 'invalid_grant', refreshTokenUsed: issued[0].value }),
    ]);
    expect(response.text).not.toContain(issued[0].value);
  });

  it('clears the refresh cookie on logout, so /refresh refuses afterwards', async () => {
    const { jar } = await signIn(setup, 'alice@example.com');
    const out = await logout(setup, jar);
    expect(out.status).toBe(200);
    expect(jar.values.has('spectrocloud-refresh-token')).toBe(false);
    const after = await refresh(setup, jar);
    expect(after.status).toBe(401);
  });

  it('revokes the refresh token at the issuer on logout, so a copied session cookie stops working', async () => {
    const { jar, issued } = await signIn(setup, 'alice@example.com');
    const copied = jar.copy();
    expect((await logout(setup, jar)).status).toBe(200);
    expect((await refresh(setup, copied)).status).toBe(401);
    expect(setup.op.revokedGrants).toContain(issued[0].grantId);
  });
});

describe('a standard OIDC issuer (oidc-provider) that rotates refresh tokens', () => {
  let setup: Setup;
  beforeAll(async () => {
    setup = await startSetup({ rotateRefreshTokens: true, refreshGrantInterval: 0 });
  });
  afterAll(() => setup?.close());
  afterEach(() => expect(setup.op.serverErrors).toEqual([]));

  it('stores each rotated refresh token: every refresh presents the one issued last', async () => {
    const { jar, issued } = await signIn(setup, 'alice@example.com');
    let current = issued[0].value;
    for (let round = 0; round < 3; round++) {
      const issuedBefore = setup.op.refreshTokens.length;
      const callsBefore = setup.op.tokenCalls.length;
      const response = await refresh(setup, jar);
      expect(response.status).toBe(200);
      expect(setup.op.tokenCalls.slice(callsBefore)).toEqual([expect.objectContaining({ grantType: 'refresh_token', refreshTokenUsed: current })]);
      const rotated = setup.op.refreshTokens.slice(issuedBefore);
      expect(rotated).toHaveLength(1);
      expect(rotated[0].value).not.toBe(current);
      current = rotated[0].value;
      await verifyAtIssuer(setup.op, response.body.providerInfo.idToken, CLIENT_ID);
    }
  });

  it('answers a session cookie from before a rotation with the rotated grant while a refresh may be in flight, without replaying it', async () => {
    const { jar } = await signIn(setup, 'alice@example.com');
    const stale = jar.copy();
    expect((await refresh(setup, jar)).status).toBe(200);
    const callsBefore = setup.op.tokenCalls.length;
    const late = await refresh(setup, stale);
    expect(late.status).toBe(200);
    // oidc-provider never saw the old refresh token again: a replay would have revoked the grant.
    expect(setup.op.tokenCalls.slice(callsBefore)).toEqual([]);
    expect(setup.op.revokedGrants).toEqual([]);
    // The late tab now holds the rotated refresh token too, and both go on refreshing.
    expect(stale.values.get('spectrocloud-refresh-token')).toBeDefined();
    expect((await refresh(setup, stale)).status).toBe(200);
    expect((await refresh(setup, jar)).status).toBe(200);
    expect(setup.op.tokenCalls.slice(callsBefore).map(call => call.error)).toEqual([undefined]);
  });
});

describe('a standard OIDC issuer (oidc-provider), client_secret_basic', () => {
  let setup: Setup;
  beforeAll(async () => {
    setup = await startSetup({ basic: true, refreshGrantInterval: 0 });
  });
  afterAll(() => setup?.close());
  afterEach(() => expect(setup.op.serverErrors).toEqual([]));

  it('signs in and refreshes with the secret only in a form-encoded Basic header', async () => {
    const callsBefore = setup.op.tokenCalls.length;
    const { jar, frame } = await signIn(setup, 'alice@example.com');
    expect(frame.message.error).toBeUndefined();
    await verifyAtIssuer(setup.op, frame.message.response.providerInfo.idToken, `${CLIENT_ID}-basic`);
    const response = await refresh(setup, jar);
    expect(response.status).toBe(200);
    await verifyAtIssuer(setup.op, response.body.providerInfo.idToken, `${CLIENT_ID}-basic`);
    expect(setup.op.tokenCalls.slice(callsBefore).map(({ grantType, clientId, clientAuth, error }) => ({ grantType, clientId, clientAuth, error }))).toEqual([
      { grantType: 'authorization_code', clientId: `${CLIENT_ID}-basic`, clientAuth: 'basic', error: undefined },
      { grantType: 'refresh_token', clientId: `${CLIENT_ID}-basic`, clientAuth: 'basic', error: undefined },
    ]);
  });
});

describe('a standard OIDC issuer (oidc-provider) that grants no refresh token', () => {
  let setup: Setup;
  beforeAll(async () => {
    // Without prompt=consent oidc-provider drops offline_access, and so issues no refresh token.
    setup = await startSetup({ prompt: null, idTokenTtl: 300 });
  });
  afterAll(() => setup?.close());
  afterEach(() => expect(setup.op.serverErrors).toEqual([]));

  it('signs in without a refresh token and /refresh serves the same verified ID token, without a grant', async () => {
    const { jar, frame, issued } = await signIn(setup, 'alice@example.com');
    expect(frame.message.error).toBeUndefined();
    expect(setup.op.interactions.at(-1)!.scope?.split(' ')).not.toContain('offline_access');
    expect(issued).toEqual([]);
    const callsBefore = setup.op.tokenCalls.length;
    const response = await refresh(setup, jar);
    expect(response.status).toBe(200);
    expect(setup.op.tokenCalls.slice(callsBefore)).toEqual([]);
    expect(response.body.providerInfo.idToken).toBe(frame.message.response.providerInfo.idToken);
    expect(response.body.backstageIdentity.identity.userEntityRef).toBe('user:default/alice');
  });

  it('ends the session once that ID token has expired: /refresh asks to sign in again', async () => {
    const { jar, frame } = await signIn(setup, 'alice@example.com');
    outlive(frame.message.response.providerInfo.idToken);
    const response = await refresh(setup, jar);
    expect(response.status).toBe(401);
    expect(response.body.error.message).toMatch(/session has expired; sign in again/);
  });
});

describe('a standard OIDC issuer (oidc-provider) with short-lived ID tokens and a refresh token', () => {
  let setup: Setup;
  beforeAll(async () => {
    setup = await startSetup({ idTokenTtl: 300 });
  });
  afterAll(() => setup?.close());
  afterEach(() => expect(setup.op.serverErrors).toEqual([]));

  it('keeps the session past the first ID token through the refresh grant', async () => {
    const { jar, frame } = await signIn(setup, 'alice@example.com');
    const first = frame.message.response.providerInfo.idToken;
    outlive(first);
    const response = await refresh(setup, jar);
    expect(response.status).toBe(200);
    const claims = await verifyAtIssuer(setup.op, response.body.providerInfo.idToken, CLIENT_ID);
    expect(claims.exp! * 1000).toBeGreaterThan(Date.now());
    expect(response.body.providerInfo.expiresInSeconds).toBeLessThanOrEqual(300);
    expect(response.body.backstageIdentity.identity.userEntityRef).toBe('user:default/alice');
  });
});

describe('a standard OIDC issuer (oidc-provider), refreshGrantInterval at its default (60 s)', () => {
  const INTERVAL_MS = 60_000;
  let setup: Setup;
  beforeAll(async () => {
    setup = await startSetup();
  });
  afterAll(() => setup?.close());
  afterEach(() => expect(setup.op.serverErrors).toEqual([]));

  it('serves the last grant again within the interval, without asking oidc-provider: same verified ID token, userinfo claims kept', async () => {
    const { jar, frame } = await signIn(setup, 'alice@example.com');
    const signedIn = frame.message.response;
    const callsBefore = setup.op.tokenCalls.length;
    const requestsBefore = setup.op.requests.length;
    moveClockTo(Date.now() + INTERVAL_MS - 1000);
    const response = await refresh(setup, jar);
    expect(response.status).toBe(200);
    expect(setup.op.tokenCalls.slice(callsBefore)).toEqual([]);
    expect(setup.op.requests.slice(requestsBefore)).toEqual([]);
    expect(response.body.providerInfo.idToken).toBe(signedIn.providerInfo.idToken);
    expect(response.body.providerInfo.accessToken).toBe(signedIn.providerInfo.accessToken);
    expect(response.body.providerInfo.expiresInSeconds).toBeLessThanOrEqual(signedIn.providerInfo.expiresInSeconds - 58);
    expect(response.body.profile).toEqual({ email: 'alice@example.com', displayName: 'Alice Example' });
    expect(response.body.backstageIdentity.identity.userEntityRef).toBe('user:default/alice');
  });

  it('notices a refresh token revoked at oidc-provider once the interval since the last grant has passed', async () => {
    const { jar, issued } = await signIn(setup, 'alice@example.com');
    const signedInAt = Date.now();
    expect(await setup.op.revoke(issued[0].value)).toBe(200);
    // Within the interval the last grant's tokens, still valid at the IdP's own word, are served again.
    expect((await refresh(setup, jar)).status).toBe(200);
    moveClockTo(signedInAt + INTERVAL_MS);
    const callsBefore = setup.op.tokenCalls.length;
    const response = await refresh(setup, jar);
    expect(response.status).toBe(401);
    expect(response.body.error.cause.message).toMatch(/token endpoint refused the request \(HTTP 400, invalid_grant/);
    expect(setup.op.tokenCalls.slice(callsBefore)).toEqual([expect.objectContaining({ grantType: 'refresh_token', error: 'invalid_grant' })]);
  });

  it('makes a refresh grant once the interval has passed, and serves that grant again afterwards', async () => {
    const { jar } = await signIn(setup, 'bob@example.com');
    const signedInAt = Date.now();
    moveClockTo(signedInAt + INTERVAL_MS);
    const callsBefore = setup.op.tokenCalls.length;
    const granted = await refresh(setup, jar);
    expect(granted.status).toBe(200);
    expect(setup.op.tokenCalls.slice(callsBefore).map(call => call.grantType)).toEqual(['refresh_token']);
    moveClockTo(signedInAt + INTERVAL_MS + 5_000);
    const reused = await refresh(setup, jar);
    expect(reused.status).toBe(200);
    expect(setup.op.tokenCalls.slice(callsBefore)).toHaveLength(1);
    expect(reused.body.providerInfo.idToken).toBe(granted.body.providerInfo.idToken);
    expect(reused.body.backstageIdentity.identity.userEntityRef).toBe('user:default/bobby');
  });

  it('refuses a signed-out session at once, inside the interval, and a copy of its cookie too', async () => {
    const { jar } = await signIn(setup, 'alice@example.com');
    expect((await refresh(setup, jar)).status).toBe(200);
    const copied = jar.copy();
    expect((await logout(setup, jar)).status).toBe(200);
    const response = await refresh(setup, copied);
    expect(response.status).toBe(401);
    expect(response.body.error.cause.message).toMatch(/signed out/);
  });

  it('stops handing a user taken out of the catalog Backstage tokens within 10 s (the sign-in reuse time)', async () => {
    const { jar } = await signIn(setup, 'bob@example.com');
    expect((await refresh(setup, jar)).status).toBe(200);
    const removedAt = Date.now();
    await setup.backend.catalog.removeEntityByUid('uid-bobby'); // the last test of this block: nobody else signs in as bob
    moveClockTo(removedAt + 10_000);
    const response = await refresh(setup, jar);
    expect(response.status).toBe(401);
    expect(response.body.backstageIdentity).toBeUndefined();
  });
});
