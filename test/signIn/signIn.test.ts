import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { BACKEND_KINDS, CookieJar, logout, refresh, signIn, startFixture, startSignIn, type Fixture } from '../support/spectroFixture';

/*
 * One sign-in, two backends: the legacy router and the new backend system's
 * module (backend-defaults, plugin-auth-backend of the current line) in a
 * real backend each. Cases that hold for one backend only say so in their name.
 */
describe.each(BACKEND_KINDS)('sign-in (%s backend)', kind => {
  let fixture: Fixture;
  beforeAll(async () => {
    fixture = await startFixture({ kind });
  });
  afterAll(() => fixture?.close());

  it('answers /start with a 302 to SpectroCloud carrying every parameter and sets the nonce cookie', async () => {
    const jar = new CookieJar();
    const response = await startSignIn(fixture, jar);
    expect(response.status).toBe(302);
    const location = new URL(response.headers.location);
    expect(location.origin + location.pathname).toBe(fixture.emulator.authorizationUrl);
    const params = Object.fromEntries(location.searchParams);
    expect(params).toMatchObject({
      client_id: 'backstage-test-client',
      redirect_uri: `${fixture.providerBase}/handler/frame`,
      response_type: 'code',
      code_challenge_method: 'S256',
    });
    expect(params.scope.split(' ')).toEqual(expect.arrayContaining(['openid', 'profile', 'email']));
    expect(params.state).toBeTruthy();
    expect(params.nonce).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(params.code_challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(params.prompt).toBeUndefined();
    const setCookie = ([] as string[]).concat(response.headers['set-cookie']);
    expect(setCookie.find(c => c.startsWith('spectrocloud-nonce='))).toMatch(/HttpOnly/);
  });

  it('gives every sign-in its own nonce and code challenge', async () => {
    const first = new URL((await startSignIn(fixture, new CookieJar())).headers.location).searchParams;
    const second = new URL((await startSignIn(fixture, new CookieJar())).headers.location).searchParams;
    expect(first.get('nonce')).not.toBe(second.get('nonce'));
    expect(first.get('code_challenge')).not.toBe(second.get('code_challenge'));
  });

  it('completes a whole sign-in with profile, ID token and a Backstage identity', async () => {
    const { frame } = await signIn(fixture, 'alice@example.com');
    expect(frame.message.type).toBe('authorization_response');
    expect(frame.message.error).toBeUndefined();
    const { profile, providerInfo, backstageIdentity } = frame.message.response;
    expect(profile).toEqual({ email: 'alice@example.com', displayName: 'Alice Example' });
    expect(jwt.decode(providerInfo.idToken, { complete: true })?.header.alg).toBe('RS256');
    expect(providerInfo.expiresInSeconds).toBeGreaterThan(3000);
    expect(backstageIdentity.identity.userEntityRef).toBe('user:default/alice');
    expect((jwt.decode(backstageIdentity.token) as jwt.JwtPayload).sub).toBe('user:default/alice');
  });

  it('refreshes with a fresh Backstage token and the same verified ID token', async () => {
    const { jar, frame } = await signIn(fixture, 'alice@example.com');
    const response = await refresh(fixture, jar);
    expect(response.status).toBe(200);
    expect(response.body.backstageIdentity.identity.userEntityRef).toBe('user:default/alice');
    expect(response.body.providerInfo.idToken).toBe(frame.message.response.providerInfo.idToken);
    expect(response.body.profile.email).toBe('alice@example.com');
  });

  it("keeps SpectroCloud's session token out of the page's JavaScript", async () => {
    const { jar, frame } = await signIn(fixture, 'alice@example.com');
    const hs256 = /eyJhbGciOiJIUzI1NiI/; // base64url of {"alg":"HS256"
    expect(JSON.stringify(frame.message)).not.toMatch(hs256);
    expect(frame.message.response.providerInfo.refreshToken).toBeUndefined();
    // no cookie carries it either: without tokenStore.apiTokenCookie it stays server-side (test/paletteTokens/apiTokenCookie.test.ts)
    const carriers = [...jar.values].filter(([, value]) => hs256.test(value)).map(([name]) => name);
    expect(carriers).toEqual([]);
  });

  it('clears the session on logout so /refresh refuses afterwards', async () => {
    const { jar } = await signIn(fixture, 'alice@example.com');
    const out = await logout(fixture, jar);
    expect(out.status).toBe(200);
    expect(jar.values.has('spectrocloud-refresh-token')).toBe(false);
    const after = await refresh(fixture, jar);
    expect(after.status).toBe(401);
  });

  it('falls back to the next resolver when the first finds no user', async () => {
    // bob@example.com has no entity with that email, but one named "bob"? No: "bobby" has the email.
    const { frame } = await signIn(fixture, 'bob@example.com');
    expect(frame.message.response.backstageIdentity.identity.userEntityRef).toBe('user:default/bobby');
  });

  it('answers /start with 302 to SpectroCloud, with S256 PKCE, a nonce and a state', async () => {
    const jar = new CookieJar();
    const start = await startSignIn(fixture, jar);
    expect(start.status).toBe(302);
    const location = new URL(start.headers.location);
    expect(location.origin + location.pathname).toBe(fixture.emulator.authorizationUrl);
    const params = location.searchParams;
    expect(params.get('code_challenge_method')).toBe('S256');
    expect(params.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(params.get('nonce')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(params.get('state')).toBeTruthy();
    expect(params.get('scope')).toBe('openid profile email');
    expect(jar.values.get('spectrocloud-nonce')).toBeTruthy();
  });

  it('signs Alice in, refreshes her session, and refuses a copied refresh cookie after sign-out', async () => {
    const { jar, frame } = await signIn(fixture);
    expect(frame.message.error).toBeUndefined();
    const token = frame.message.response.backstageIdentity.token;
    expect((jwt.decode(token) as jwt.JwtPayload).sub).toBe('user:default/alice');

    const refreshed = await refresh(fixture, jar);
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.backstageIdentity.identity.userEntityRef).toBe('user:default/alice');

    const copied = new CookieJar();
    copied.update(jar.header().split('; ').map(pair => `${pair}; Path=/`));
    expect((await logout(fixture, jar)).status).toBe(200);

    const replay = await refresh(fixture, copied);
    expect(replay.status).toBe(401);
    expect(JSON.stringify(replay.body)).not.toContain('backstageIdentity');
  });

  it('refuses /refresh without the X-Requested-With header', async () => {
    const { jar } = await signIn(fixture);
    const response = await request(fixture.backend.url).get('/api/auth/spectrocloud/refresh?env=development').set('Cookie', jar.header());
    expect(response.status).toBe(401);
  });
});
