import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { CookieJar, logout, refresh, signIn, startFixture, startSignIn, type Fixture } from '../support/spectroFixture';

/** The module in a real new-system backend (backend-defaults, plugin-auth-backend of the current line). */
describe('the SpectroCloud module in the new backend system', () => {
  let fixture: Fixture;
  beforeAll(async () => {
    fixture = await startFixture({ kind: 'new' });
  });
  afterAll(() => fixture?.close());

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
