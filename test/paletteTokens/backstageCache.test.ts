import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { CacheManager } from '@backstage/backend-common';
import { ConfigReader } from '@backstage/config';
import { createPaletteTokenCache } from '../../src/paletteTokens';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonObject } from '@backstage/types';
import { AuthPluginCache } from '../../src/sessionTokenService/authPluginCache';
import { startNewBackend } from '../support/newBackend';
import { startRedisServer, type RedisTestServer } from '../support/redisServer';
import { registerSecret } from '../support/secrets';
import { createTempDir, removeTempDir } from '../support/tempDir';
import { sessionTokenPlugin } from '../support/sessionTokenPlugin';
import { CLIENT_ID, CLIENT_SECRET, logout, signIn, startFixture, type Fixture } from '../support/spectroFixture';

/*
 * `tokenStore.type: backstage-cache` in the new backend system: the module
 * keeps SpectroCloud session tokens in the auth plugin's coreServices.cache
 * (backend.cache), with the legacy store's rules (hashed keys under
 * `spectrocloud:session:`, values encrypted with `encryptionKey`, every call
 * bounded, outages as 503), and the session-token service of another plugin
 * reads the same entries.
 */
const ENCRYPTION_KEY = randomBytes(32).toString('base64');
registerSecret(ENCRYPTION_KEY);

const tail = (token: string | undefined) => token?.slice(-12);

function onBackstageCache(cache: JsonObject, database?: JsonObject) {
  // apiTokenCookie: the tests read the session token the browser got to compare it with the plugin's
  const tokenStore = { type: 'backstage-cache', encryptionKey: ENCRYPTION_KEY, apiTokenCookie: true };
  return {
    kind: 'new' as const,
    database,
    plugins: [sessionTokenPlugin],
    backend: { cache },
    providerConfig: (emulator: { authorizationUrl: string }) => ({
      tokenStore,
      development: {
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        authorizationUrl: emulator.authorizationUrl,
        signIn: { resolvers: [{ resolver: 'emailMatchingUserEntityProfileEmail' }] },
      },
    }),
  };
}

async function signedIn(fixture: Fixture, email = 'alice@example.com') {
  const { jar, frame } = await signIn(fixture, email);
  return { jar, token: frame.message.response.backstageIdentity.token as string, sessionToken: jar.values.get('spectrocloud-api-token') };
}

const whoami = (fixture: Fixture, token: string) => request(fixture.backend.url).get('/api/spectrocloud/whoami').set('Authorization', `Bearer ${token}`);

describe('tokenStore.type backstage-cache in the new backend system, backend.cache: memory', () => {
  let fixture: Fixture;
  beforeAll(async () => {
    fixture = await startFixture(onBackstageCache({ store: 'memory' }));
  });
  afterAll(() => fixture?.close());

  it("keeps the token the module captured in Backstage's cache, where another plugin gets it through the service", async () => {
    const alice = await signedIn(fixture);
    const response = await whoami(fixture, alice.token);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ userEntityRef: 'user:default/alice', tokenTail: tail(alice.sessionToken) });
    expect(fixture.backend.logLines.some(line => line.includes("kept in Backstage's cache (backend.cache), encrypted"))).toBe(true);
  });

  it('drops the token at sign-out: the plugin then answers 401 with X-SpectroCloud-ReAuth-Required', async () => {
    const alice = await signedIn(fixture);
    expect((await logout(fixture, alice.jar)).status).toBe(200);
    const response = await whoami(fixture, alice.token);
    expect(response.status).toBe(401);
    expect(response.headers['x-spectrocloud-reauth-required']).toBe('true');
  });

  it("never hands Alice Bob's token", async () => {
    const alice = await signedIn(fixture);
    const bob = await signedIn(fixture, 'bob@example.com');
    expect((await whoami(fixture, bob.token)).body).toEqual({ userEntityRef: 'user:default/bobby', tokenTail: tail(bob.sessionToken) });
    expect((await whoami(fixture, alice.token)).body).toEqual({ userEntityRef: 'user:default/alice', tokenTail: tail(alice.sessionToken) });
  });
});

describe('tokenStore.type backstage-cache in the new backend system, backend.cache: redis (a real redis-server)', () => {
  let redis: RedisTestServer;
  let raw: Redis;
  let fixture: Fixture;
  let databaseDir: string;
  // Replicas share the database (the auth plugin's signing keys) and backend.cache.
  const replicaOptions = () => onBackstageCache({ store: 'redis', connection: redis.url }, { client: 'better-sqlite3', connection: { directory: databaseDir } });
  beforeAll(async () => {
    [redis, databaseDir] = await Promise.all([startRedisServer(), createTempDir('backstage-cache-db-')]);
    raw = new Redis(redis.url);
    fixture = await startFixture(replicaOptions());
  });
  afterAll(async () => {
    await fixture?.close();
    raw?.disconnect();
    if (databaseDir) await removeTempDir(databaseDir);
    // The server is left to die with this test process (ownedProcess kills it on exit): the backend's
    // cache client is not closed by backend.stop(), and a Redis going away under it is an uncaught
    // 'Socket closed unexpectedly' from @redis/client.
  });

  it('keeps hashed keys under spectrocloud:session: and encrypted values, and another plugin gets the token', async () => {
    const alice = await signedIn(fixture);
    expect((await whoami(fixture, alice.token)).body).toEqual({ userEntityRef: 'user:default/alice', tokenTail: tail(alice.sessionToken) });

    const keys = await raw.keys('*');
    const values = await Promise.all(keys.map(async key => ((await raw.type(key)) === 'string' ? raw.get(key) : '')));
    // Backstage's client may base64-encode keys: read them both ways.
    const readable = keys.flatMap(key => [key, Buffer.from(key.split(':').pop() ?? '', 'base64').toString('utf8')]).join('\n');
    expect(readable).toMatch(/spectrocloud:session:[0-9a-f]{64}/);
    for (const text of [readable, values.join('\n')]) {
      expect(text).not.toContain('alice');
      expect(text).not.toContain(alice.sessionToken!.split('.')[1]);
    }
    expect(values.join('\n')).toContain('scv1.');
  });

  it('shares the token with a second replica on the same backend.cache', async () => {
    const alice = await signedIn(fixture);
    const replica = await startFixture(replicaOptions());
    try {
      const response = await whoami(replica, alice.token);
      expect(response.status).toBe(200);
      expect(response.body.tokenTail).toBe(tail(alice.sessionToken));
    } finally {
      await replica.close();
    }
  });

  it("is the same store a legacy backend's env.cache (backend-common, plugin auth) reads: the upgrade keeps the tokens", async () => {
    const alice = await signedIn(fixture);
    const config = new ConfigReader({
      backend: { baseUrl: 'http://127.0.0.1', cache: { store: 'redis', connection: redis.url } },
      auth: { providers: { spectrocloud: { development: { clientId: CLIENT_ID }, tokenStore: { type: 'backstage-cache', encryptionKey: ENCRYPTION_KEY } } } },
    });
    const legacy = createPaletteTokenCache(config, { cache: CacheManager.fromConfig(config, { onError: () => undefined }).forPlugin('auth') });
    expect(tail((await legacy.forUser('user:default/alice'))?.sessionToken)).toBe(tail(alice.sessionToken));
  });

  // Frozen (SIGSTOP): a Redis that stops answering is what the store's 2 s deadline is for.
  it('answers 503 in bounded time while Redis does not answer, without naming its address, then recovers', async () => {
    const alice = await signedIn(fixture);
    redis.freeze();
    try {
      const started = Date.now();
      const response = await whoami(fixture, alice.token);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(response.status).toBe(503);
      expect(response.body.error.code).toBe('ERR_TOKEN_STORE_UNAVAILABLE');
      expect(JSON.stringify(response.body)).not.toContain(String(redis.port));
      expect(JSON.stringify(response.body)).not.toContain('127.0.0.1');
    } finally {
      redis.thaw();
    }
    await expect.poll(async () => (await whoami(fixture, alice.token)).status, { timeout: 15_000, interval: 250 }).toBe(200);
  });
});

describe('backstage-cache without the module in the backend', () => {
  it('says at startup which key asks for it and what to do', async () => {
    const backend = await startNewBackend({
      providers: { spectrocloud: { tokenStore: { type: 'backstage-cache' }, development: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET } } },
      features: [sessionTokenPlugin],
    });
    try {
      const line = backend.logLines.find(entry => entry.includes("auth.providers.spectrocloud.tokenStore.type is 'backstage-cache'"));
      expect(line).toMatch(/no SpectroCloud auth module runs in this backend.*backend-module.*'redis'/);
    } finally {
      await backend.close();
    }
  });

  it("fails the store's calls with that reason instead of waiting on a cache nobody hands over", async () => {
    const cache = new AuthPluginCache();
    cache.missing(new Error('no module'));
    await expect(cache.get('k')).rejects.toThrow('no module');
    await expect(cache.set('k', 'v')).rejects.toThrow('no module');
  });
});
