import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import express from 'express';
import request from 'supertest';
import Redis from 'ioredis';
import { DefaultIdentityClient } from '@backstage/plugin-auth-node';
import { ConfigReader } from '@backstage/config';
import {
  createPaletteTokenCache,
  createPaletteTokenMiddleware,
  PaletteTokenCache,
  type SpectroCloudRequest,
} from '../../src/paletteTokens';
import { MemoryStore } from '../../src/ttlStore/memoryStore';
import { startRedisServer } from '../support/redisServer';
import { CookieJar, logout, signIn, startFixture, type Fixture } from '../support/spectroFixture';

/** A backend plugin of the same legacy backend that calls SpectroCloud on the user's behalf. */
function spectroCloudPlugin(cache: () => PaletteTokenCache) {
  return ({ discovery }: { discovery: { getBaseUrl(id: string): Promise<string> } }) => {
    const router = express.Router();
    const identity = DefaultIdentityClient.create({ discovery: discovery as never, issuer: undefined });
    router.use((req, res, next) => createPaletteTokenMiddleware({ identity, cache: cache() })(req, res, next));
    router.get('/whoami', (req, res) => {
      const grant = (req as SpectroCloudRequest).spectroCloud!;
      res.json({ userEntityRef: grant.userEntityRef, tokenTail: grant.token.slice(-12) });
    });
    return { '/api/spectrocloud': router };
  };
}

const tail = (token: string | undefined) => token?.slice(-12);

describe('SpectroCloud session token, captured at sign-in and handed to a backend plugin', () => {
  const cache = new PaletteTokenCache({ store: new MemoryStore() });
  let fixture: Fixture;
  beforeAll(async () => {
    // with the seeds' cookie on (tokenStore.apiTokenCookie), to hold the plugin's token against the browser's
    fixture = await startFixture({ provider: { sessionTokenCache: cache }, routers: spectroCloudPlugin(() => cache), tokenStore: { apiTokenCookie: true } });
  });
  afterAll(() => fixture?.close());

  async function signedIn(email: string) {
    const { jar, frame } = await signIn(fixture, email);
    return { jar, token: frame.message.response.backstageIdentity.token as string };
  }

  it('stores the session token under the verified user and sets a safe cookie', async () => {
    const { jar } = await signedIn('alice@example.com');
    const session = await cache.forUser('user:default/alice');
    expect(session?.sessionToken).toBe(jar.values.get('spectrocloud-api-token'));
    expect(fixture.emulator.verifySessionToken(session!.sessionToken)).toMatchObject({ email: 'alice@example.com' });
  });

  it('sets spectrocloud-api-token HttpOnly, SameSite=Lax, on the API path, not Secure over http, for the token lifetime', async () => {
    const raw = await rawSignInCookies(fixture, 'alice@example.com');
    const cookie = raw.find(c => c.startsWith('spectrocloud-api-token='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\/api\/spectrocloud/);
    expect(cookie).not.toMatch(/Secure/);
    const maxAge = Number(/Max-Age=(\d+)/.exec(cookie)?.[1]);
    expect(maxAge).toBeGreaterThan(3500);
    expect(maxAge).toBeLessThanOrEqual(3600);
  });

  it("gives a backend plugin the caller's own token", async () => {
    const alice = await signedIn('alice@example.com');
    const response = await request(fixture.backend.url).get('/api/spectrocloud/whoami').set('Authorization', `Bearer ${alice.token}`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ userEntityRef: 'user:default/alice', tokenTail: tail(alice.jar.values.get('spectrocloud-api-token')) });
  });

  it("never gives user A user B's token: spoofed email header", async () => {
    const alice = await signedIn('alice@example.com');
    await signedIn('bob@example.com');
    const response = await request(fixture.backend.url)
      .get('/api/spectrocloud/whoami')
      .set('Authorization', `Bearer ${alice.token}`)
      .set('X-SpectroCloud-User-Email', 'bob@example.com');
    expect(response.status).toBe(403);
  });

  it("never gives user A user B's token: swapped cookie", async () => {
    const alice = await signedIn('alice@example.com');
    const bob = await signedIn('bob@example.com');
    const response = await request(fixture.backend.url)
      .get('/api/spectrocloud/whoami')
      .set('Authorization', `Bearer ${alice.token}`)
      .set('Cookie', `spectrocloud-api-token=${bob.jar.values.get('spectrocloud-api-token')}`);
    expect(response.status).toBe(200);
    expect(response.body.userEntityRef).toBe('user:default/alice');
    expect(response.body.tokenTail).not.toBe(tail(bob.jar.values.get('spectrocloud-api-token')));
  });

  it('refuses a request without a Backstage token, without the re-auth header', async () => {
    const response = await request(fixture.backend.url).get('/api/spectrocloud/whoami');
    expect(response.status).toBe(401);
    expect(response.headers['x-spectrocloud-reauth-required']).toBeUndefined();
  });

  it('removes the token on logout and then asks for re-authentication', async () => {
    const alice = await signedIn('alice@example.com');
    await logout(fixture, alice.jar);
    expect(alice.jar.values.has('spectrocloud-api-token')).toBe(false);
    expect(await cache.forUser('user:default/alice')).toBeUndefined();
    const response = await request(fixture.backend.url).get('/api/spectrocloud/whoami').set('Authorization', `Bearer ${alice.token}`);
    expect(response.status).toBe(401);
    expect(response.headers['x-spectrocloud-reauth-required']).toBe('true');
    expect(response.body.error.message).toMatch(/sign in with SpectroCloud again/);
  });

  it('captures the session token when a tenant hands it out as the code', async () => {
    const asCode = new PaletteTokenCache({ store: new MemoryStore() });
    const tenant = await startFixture({ provider: { sessionTokenCache: asCode }, emulator: { sessionTokenAsCode: true } });
    try {
      const { frame } = await signIn(tenant, 'alice@example.com');
      expect(frame.message.error).toBeUndefined();
      const session = await asCode.forUser('user:default/alice');
      expect(tenant.emulator.verifySessionToken(session!.sessionToken)).toBeTruthy();
    } finally {
      await tenant.close();
    }
  });
});

describe('with the Redis token store from config', () => {
  let redis: Awaited<ReturnType<typeof startRedisServer>>;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(() => redis?.stop());

  const tokenStore = () => ({ type: 'redis', redis: { url: redis.url }, encryptionKey: Buffer.alloc(32, 7).toString('base64'), apiTokenCookie: true });

  it('keeps tokens encrypted in Redis and across a backend restart', async () => {
    const first = await startFixture({
      providerConfig: emulator => ({ tokenStore: tokenStore(), development: devBlock(emulator.authorizationUrl) }),
    });
    const { jar } = await signIn(first, 'alice@example.com');
    const sessionToken = jar.values.get('spectrocloud-api-token')!;
    await first.backend.close();

    const raw = new Redis(redis.url);
    const keys = await raw.keys('*');
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      expect(key).not.toContain('alice');
      expect(await raw.get(key)).not.toContain(sessionToken.split('.')[1]);
    }
    await raw.quit();

    // a new backend process on the same Redis (the emulator keeps running so the keys still verify)
    const shared = createPaletteTokenCache(withTokenStore(tokenStore()));
    const second = await startFixture({
      providerConfig: emulator => ({ tokenStore: tokenStore(), development: devBlock(emulator.authorizationUrl) }),
      provider: { sessionTokenCache: shared },
      routers: spectroCloudPlugin(() => shared),
    });
    try {
      // the Backstage token of the first backend is signed by its own keys; sign in again only to get a token for this backend
      const { frame: again } = await signIn(second, 'bob@example.com');
      const bobToken = again.message.response.backstageIdentity.token;
      const response = await request(second.backend.url).get('/api/spectrocloud/whoami').set('Authorization', `Bearer ${bobToken}`);
      expect(response.status).toBe(200);
      const alice = await shared.forUser('user:default/alice');
      expect(alice?.sessionToken).toBe(sessionToken);
    } finally {
      await second.close();
      await shared.close();
      await first.emulator.close();
    }
  });

  it('still signs users in while Redis is down; plugins answer 503 + Retry-After without the re-auth signal', async () => {
    const unreachable = createPaletteTokenCache(withTokenStore({ type: 'redis', redis: { url: 'redis://127.0.0.1:1' } }));
    const fixture = await startFixture({
      providerConfig: emulator => ({ development: devBlock(emulator.authorizationUrl) }),
      provider: { sessionTokenCache: unreachable },
      routers: spectroCloudPlugin(() => unreachable),
    });
    try {
      const { frame } = await signIn(fixture, 'alice@example.com');
      expect(frame.message.error).toBeUndefined();
      const response = await request(fixture.backend.url)
        .get('/api/spectrocloud/whoami')
        .set('Authorization', `Bearer ${frame.message.response.backstageIdentity.token}`);
      expect(response.status).toBe(503);
      expect(response.headers['retry-after']).toBe('5');
      expect(response.headers['x-spectrocloud-reauth-required']).toBeUndefined();
      expect(response.text).not.toMatch(/127\.0\.0\.1|:1\b/);
      expect(fixture.backend.logLines.join('\n')).toContain(
        'Palette token not stored yet (ERR_TOKEN_STORE_UNAVAILABLE)',
      );
    } finally {
      await fixture.close();
      await unreachable.close();
    }
  });
});

function withTokenStore(tokenStore: object) {
  return new ConfigReader({ auth: { providers: { spectrocloud: { tokenStore } } } });
}

function devBlock(authorizationUrl: string) {
  return {
    clientId: 'backstage-test-client',
    clientSecret: 'test-client-secret-7f3a9c2e5b1d',
    authorizationUrl,
    signIn: { resolvers: [{ resolver: 'emailMatchingUserEntityProfileEmail' }, { resolver: 'emailLocalPartMatchingUserEntityName' }] },
  };
}

async function rawSignInCookies(fixture: Fixture, email: string): Promise<string[]> {
  const jar = new CookieJar();
  const start = await request(fixture.backend.url).get('/api/auth/spectrocloud/start?env=development');
  jar.update(start.headers['set-cookie']);
  const url = new URL(start.headers.location);
  url.searchParams.set('login_hint', email);
  const callback = new URL((await fetch(url, { redirect: 'manual' })).headers.get('location')!);
  const frame = await request(fixture.backend.url).get(callback.pathname + callback.search).set('Cookie', jar.header());
  const cookies = ([] as string[]).concat(frame.headers['set-cookie'] ?? []);
  jar.update(cookies);
  return cookies;
}
