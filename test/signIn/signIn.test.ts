import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import jwt from 'jsonwebtoken';
import { CookieJar, logout, refresh, signIn, startFixture, startSignIn, type Fixture } from '../support/spectroFixture';

describe('sign-in through the legacy router', () => {
  let fixture: Fixture;
  beforeAll(async () => {
    fixture = await startFixture();
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
    // no cookie carries it either: without tokenStore.apiTokenCookie it stays server-side (test/backend/apiTokenCookie.test.ts)
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
});
