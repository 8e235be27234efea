import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import express from 'express';
import request from 'supertest';
import Redis from 'ioredis';
import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { DefaultIdentityClient } from '@backstage/plugin-auth-node';
import { ConfigReader } from '@backstage/config';
import {
  createPaletteTokenCache,
  createPaletteTokenMiddleware,
  getPaletteToken,
  PaletteTokenCache,
  type SpectroCloudRequest,
} from '../../src/paletteTokens';
import { paletteTokenCachesServiceRef } from '../../src/sessionTokenService/storesService';
import { MemoryStore } from '../../src/ttlStore/memoryStore';
import { startRedisServer } from '../support/redisServer';
import { sessionTokenPlugin } from '../support/sessionTokenPlugin';
import { BACKEND_KINDS, CookieJar, logout, signIn, startFixture, type BackendKind, type Fixture } from '../support/spectroFixture';

/*
 * The Palette token (SpectroCloud's HS256 token), captured at sign-in and handed to a backend plugin by
 * the caller's verified identity, written once over both backends: the legacy router with a plugin on
 * `createPaletteTokenMiddleware` and the cache handed to `spectrocloud.create()`, and the new backend
 * system with a plugin on the Palette-token service (`.../session-token-service`, support/sessionTokenPlugin.ts).
 * Both plugins answer `/whoami` through the middleware and `/direct` through the hand-off itself.
 * Cases that need one backend say so in their name.
 */

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
    router.get('/direct', (req, res, next) => {
      getPaletteToken({ req, identity, cache: cache() }).then(grant => res.json({ userEntityRef: grant.userEntityRef }), next);
    });
    return { '/api/spectrocloud': router };
  };
}

const tail = (token: string | undefined) => token?.slice(-12);

/**
 * Either backend with a plugin that gets the Palette token, and the cache the provider writes: on the
 * legacy backend the one handed to `spectrocloud.create()`, on the new one the module's own (read
 * through the root-scoped caches service, the object every plugin of that backend shares).
 */
async function startCapture(
  kind: BackendKind,
  options: { tokenStore?: Record<string, boolean>; emulator?: { paletteTokenAsCode: boolean } } = {},
): Promise<{ fixture: Fixture; cache: PaletteTokenCache }> {
  if (kind === 'legacy') {
    const cache = new PaletteTokenCache({ store: new MemoryStore() });
    return { fixture: await startFixture({ provider: { paletteTokenCache: cache }, routers: spectroCloudPlugin(() => cache), ...options }), cache };
  }
  let cache: PaletteTokenCache | undefined;
  const probe = createBackendPlugin({
    pluginId: 'palette-token-probe',
    register(reg) {
      reg.registerInit({
        deps: { caches: paletteTokenCachesServiceRef },
        async init({ caches }) {
          cache = caches.forProvider('spectrocloud');
        },
      });
    },
  });
  const fixture = await startFixture({ kind, plugins: [sessionTokenPlugin, probe], ...options });
  return { fixture, cache: cache! };
}

describe.each(BACKEND_KINDS)('the Palette token, captured at sign-in and handed to a backend plugin (%s backend)', kind => {
  let fixture: Fixture;
  let cache: PaletteTokenCache;
  beforeAll(async () => {
    // with the seeds' cookie on (tokenStore.apiTokenCookie), to hold the plugin's token against the browser's
    ({ fixture, cache } = await startCapture(kind, { tokenStore: { apiTokenCookie: true } }));
  });
  afterAll(() => fixture?.close());

  async function signedIn(email: string) {
    const { jar, frame } = await signIn(fixture, email);
    return { jar, token: frame.message.response.backstageIdentity.token as string, paletteToken: jar.values.get('spectrocloud-api-token') };
  }
  const whoami = (token: string, path = '/api/spectrocloud/whoami') =>
    request(fixture.backend.url).get(path).set('Authorization', `Bearer ${token}`);

  it('stores the Palette token under the verified user and sets a safe cookie', async () => {
    const { jar } = await signedIn('alice@example.com');
    const session = await cache.forUser('user:default/alice');
    expect(session?.sessionToken).toBe(jar.values.get('spectrocloud-api-token'));
    expect(fixture.emulator.verifyPaletteToken(session!.sessionToken)).toMatchObject({ email: 'alice@example.com' });
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

  it("gives a backend plugin the signed-in user's own Palette token, through the middleware and the hand-off", async () => {
    const alice = await signedIn('alice@example.com');
    expect(fixture.emulator.verifyPaletteToken(alice.paletteToken!)).toMatchObject({ email: 'alice@example.com' });
    const response = await whoami(alice.token);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ userEntityRef: 'user:default/alice', tokenTail: tail(alice.paletteToken) });
    expect((await whoami(alice.token, '/api/spectrocloud/direct')).body).toEqual({ userEntityRef: 'user:default/alice' });
  });

  it("never hands Alice Bob's token: each caller gets their own, a header naming Bob is refused with 403", async () => {
    const alice = await signedIn('alice@example.com');
    const bob = await signedIn('bob@example.com');
    expect((await whoami(bob.token)).body).toEqual({ userEntityRef: 'user:default/bobby', tokenTail: tail(bob.paletteToken) });
    const spoofed = await whoami(alice.token).set('X-SpectroCloud-User-Email', 'bob@example.com');
    expect(spoofed.status).toBe(403);
    expect(JSON.stringify(spoofed.body)).not.toContain(tail(bob.paletteToken)!);
  });

  it("never gives user A user B's token: swapped cookie", async () => {
    const alice = await signedIn('alice@example.com');
    const bob = await signedIn('bob@example.com');
    const response = await whoami(alice.token).set('Cookie', `spectrocloud-api-token=${bob.paletteToken}`);
    expect(response.status).toBe(200);
    expect(response.body.userEntityRef).toBe('user:default/alice');
    expect(response.body.tokenTail).not.toBe(tail(bob.paletteToken));
  });

  it('refuses a request without a Backstage token, without the re-auth header', async () => {
    const response = await request(fixture.backend.url).get('/api/spectrocloud/whoami');
    expect(response.status).toBe(401);
    expect(response.headers['x-spectrocloud-reauth-required']).toBeUndefined();
  });

  it('removes the token on logout and then asks for re-authentication (401 + X-SpectroCloud-ReAuth-Required)', async () => {
    const alice = await signedIn('alice@example.com');
    expect((await logout(fixture, alice.jar)).status).toBe(200);
    expect(alice.jar.values.has('spectrocloud-api-token')).toBe(false);
    expect(await cache.forUser('user:default/alice')).toBeUndefined();
    const response = await whoami(alice.token);
    expect(response.status).toBe(401);
    expect(response.headers['x-spectrocloud-reauth-required']).toBe('true');
    expect(response.body.error.code).toBe('ERR_SPECTROCLOUD_REAUTH_REQUIRED');
    expect(response.body.error.message).toMatch(/sign in with SpectroCloud again/);
  });

  it('captures the Palette token when a tenant hands it out as the code', async () => {
    const tenant = await startCapture(kind, { emulator: { paletteTokenAsCode: true } });
    try {
      const { frame } = await signIn(tenant.fixture, 'alice@example.com');
      expect(frame.message.error).toBeUndefined();
      const session = await tenant.cache.forUser('user:default/alice');
      expect(tenant.fixture.emulator.verifyPaletteToken(session!.sessionToken)).toBeTruthy();
    } finally {
      await tenant.fixture.close();
    }
  });
});

// Legacy backend only: the provider and the plugin are handed one cache object built in code from a
// `tokenStore` config; the new backend system builds its cache from config itself.
describe('with the Redis token store from config (legacy backend)', () => {
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
      provider: { paletteTokenCache: shared },
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
      provider: { paletteTokenCache: unreachable },
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
