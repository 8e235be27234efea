import { randomBytes } from 'node:crypto';
import { CacheManager } from '@backstage/backend-common';
import { ConfigReader } from '@backstage/config';
import type { JsonObject } from '@backstage/types';
import { Redis } from 'ioredis';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpectroCloudConfigError } from '../../src/errors';
import {
  createPaletteTokenCache,
} from '../../src/paletteTokens';
import { BackstageCacheStore } from '../../src/paletteTokens/stores/backstageCacheStore';
import { type RedisTestServer, startRedisServer } from '../support/redisServer';
import { registerSecret } from '../support/secrets';

const HOUR = 60 * 60 * 1000;
const ENCRYPTION_KEY = randomBytes(32).toString('base64');
registerSecret(ENCRYPTION_KEY);

function paletteToken(email: string): string {
  const token = jwt.sign({ email }, randomBytes(32), { algorithm: 'HS256', expiresIn: 3600 });
  registerSecret(token);
  return token;
}

/** The app-config of a legacy backend: backend.cache, and the provider's tokenStore. */
function appConfig(cache: Record<string, string>, tokenStore?: JsonObject) {
  return new ConfigReader({
    backend: { baseUrl: 'http://127.0.0.1', cache },
    auth: { providers: { spectrocloud: { development: { clientId: 'x' }, ...(tokenStore && { tokenStore }) } } },
  });
}

/** What a legacy backend hands each plugin as `env.cache`. */
function pluginCache(config: ConfigReader) {
  // onError: what a backend's logger does with the cache client's connection errors (the kill below causes some).
  return CacheManager.fromConfig(config, { onError: () => undefined }).forPlugin('auth');
}

describe("Backstage's cache as the session-token store (backend.cache: memory)", () => {
  it('stores one user, finds it by entity ref and e-mail, and forgets it', async () => {
    const config = appConfig({ store: 'memory' }, { type: 'backstage-cache', encryptionKey: ENCRYPTION_KEY });
    const cache = createPaletteTokenCache(config, { cache: pluginCache(config) });
    const token = paletteToken('alice@example.com');
    await cache.remember({ userEntityRef: 'user:default/alice', email: 'alice@example.com', sessionToken: token, expiresAt: Date.now() + HOUR });
    expect((await cache.forUser('user:default/alice'))?.sessionToken).toBe(token);
    expect((await cache.forEmail('alice@example.com'))?.userEntityRef).toBe('user:default/alice');
    await cache.forget({ userEntityRef: 'user:default/alice', email: 'alice@example.com' });
    expect(await cache.forUser('user:default/alice')).toBeUndefined();
  });

  it('is the default when a cache is handed over and there is no tokenStore block', async () => {
    const config = appConfig({ store: 'memory' });
    const env = pluginCache(config);
    const token = paletteToken('bob@example.com');
    await createPaletteTokenCache(config, { cache: env }).remember({ userEntityRef: 'user:default/bob', sessionToken: token, expiresAt: Date.now() + HOUR });
    // A second cache object on the same env.cache: shared, as two routers in one backend would share it.
    expect((await createPaletteTokenCache(config, { cache: env }).forUser('user:default/bob'))?.sessionToken).toBe(token);
  });

  it('refuses type backstage-cache at startup when no cache was handed over, saying what to pass', () => {
    const config = appConfig({ store: 'memory' }, { type: 'backstage-cache' });
    expect(() => createPaletteTokenCache(config)).toThrow(SpectroCloudConfigError);
    expect(() => createPaletteTokenCache(config)).toThrow(/spectrocloud\.create\(\{ cache: env\.cache \}\)/);
  });

  it('answers within timeoutMs with ERR_TOKEN_STORE_UNAVAILABLE when the cache does not answer', async () => {
    const hanging = { get: () => new Promise<never>(() => undefined), set: () => new Promise<never>(() => undefined), delete: async () => undefined };
    const store = new BackstageCacheStore({ cache: hanging, timeoutMs: 200 });
    const started = Date.now();
    await expect(store.get('ref:user:default/alice')).rejects.toMatchObject({ code: 'ERR_TOKEN_STORE_UNAVAILABLE', statusCode: 503 });
    expect(Date.now() - started).toBeLessThan(1_500);
  });
});

describe("Backstage's cache as the session-token store (backend.cache: redis, a real redis-server)", () => {
  let server: RedisTestServer;
  let raw: Redis;
  beforeAll(async () => {
    server = await startRedisServer();
    raw = new Redis(server.url);
  });
  afterAll(() => {
    raw?.disconnect();
    // The server is left to die with this test process (ownedProcess kills it on exit): Backstage's
    // cache clients cannot be closed, and a refused reconnect is an unhandled 'error' event in them
    // (see the frozen-Redis test below).
  });

  it('keeps hashed keys, encrypted values and a TTL that ends with the session', async () => {
    const config = appConfig({ store: 'redis', connection: server.url }, { type: 'backstage-cache', encryptionKey: ENCRYPTION_KEY });
    const cache = createPaletteTokenCache(config, { cache: pluginCache(config) });
    const token = paletteToken('carol@example.com');
    const writtenFrom = Date.now();
    const expiresAt = writtenFrom + 10 * 60 * 1000;
    await cache.remember({ userEntityRef: 'user:default/carol', email: 'carol@example.com', sessionToken: token, expiresAt });

    const keys = (await raw.keys('*')).filter(key => !key.startsWith('namespace:') && !key.startsWith('sets:'));
    const dump = (await Promise.all(keys.map(async key => `${key}=${(await raw.type(key)) === 'string' ? await raw.get(key) : ''}`))).join('\n');
    // Backstage's client base64-encodes keys: ours are hashes before that, so no identifier is readable.
    const decodedKeys = keys.map(key => Buffer.from(key.split(':').pop() ?? '', 'base64').toString('utf8')).join('\n');
    for (const text of [dump, decodedKeys]) {
      expect(text).not.toContain('carol');
      expect(text).not.toContain(token);
      expect(text).not.toContain(token.split('.')[1]);
    }
    expect(decodedKeys).toMatch(/spectrocloud:session:[0-9a-f]{64}/);
    const sessionTtls = (await Promise.all(keys.map(key => raw.pttl(key)))).filter(ttl => ttl > 0);
    const readUntil = Date.now();
    expect(sessionTtls.length).toBe(2); // the entry and the e-mail pointer
    for (const ttl of sessionTtls) {
      // At most the session's remaining lifetime when it was written (Redis counts from its own receipt of
      // the SET, so the key may outlive expiresAt by a round trip; reads check expiresAt themselves).
      expect(ttl).toBeLessThanOrEqual(expiresAt - writtenFrom);
      expect(ttl).toBeGreaterThan(expiresAt - readUntil - 60_000);
    }
    expect((await cache.forUser('user:default/carol'))?.sessionToken).toBe(token);
  });

  it('shares sessions between two backends on the same backend.cache', async () => {
    const config = appConfig({ store: 'redis', connection: server.url }, { type: 'backstage-cache', encryptionKey: ENCRYPTION_KEY });
    const replicaA = createPaletteTokenCache(config, { cache: pluginCache(config) });
    const replicaB = createPaletteTokenCache(config, { cache: pluginCache(config) });
    const token = paletteToken('dave@example.com');
    await replicaA.remember({ userEntityRef: 'user:default/dave', email: 'dave@example.com', sessionToken: token, expiresAt: Date.now() + HOUR });
    expect((await replicaB.forUser('user:default/dave'))?.sessionToken).toBe(token);
    await replicaB.forget({ userEntityRef: 'user:default/dave', email: 'dave@example.com' });
    expect(await replicaA.forUser('user:default/dave')).toBeUndefined();
  });

  // Frozen (SIGSTOP), not killed: backend-common's legacy CacheManager builds its Keyv clients with
  // `emitErrors` in the wrong argument, so a refused connection becomes an unhandled 'error' event in
  // the backend process. A Redis that stops answering is the outage our deadline is for.
  it('reports a Redis that stops answering as unavailable in bounded time without naming its address, then recovers', async () => {
    const config = appConfig({ store: 'redis', connection: server.url }, { type: 'backstage-cache', encryptionKey: ENCRYPTION_KEY });
    const cache = createPaletteTokenCache(config, { cache: pluginCache(config) });
    const token = paletteToken('erin@example.com');
    await cache.remember({ userEntityRef: 'user:default/erin', sessionToken: token, expiresAt: Date.now() + HOUR });
    server.freeze();
    try {
      for (const operation of [
        () => cache.forUser('user:default/erin'),
        () => cache.remember({ userEntityRef: 'user:default/erin', sessionToken: token, expiresAt: Date.now() + HOUR }),
      ]) {
        const started = Date.now();
        const error = await operation().then(() => undefined, e => e as Error & { code?: string });
        expect(Date.now() - started).toBeLessThan(5_000);
        expect(error).toMatchObject({ code: 'ERR_TOKEN_STORE_UNAVAILABLE', statusCode: 503 });
        expect(error?.message).toMatch(/Backstage's cache is unavailable \(no answer within 2000 ms\)/);
        expect(error?.message).not.toContain(String(server.port));
        expect(error?.message).not.toContain('127.0.0.1');
      }
    } finally {
      server.thaw();
    }
    await expect.poll(async () => (await cache.forUser('user:default/erin').catch(() => undefined))?.sessionToken, { timeout: 15_000, interval: 250 }).toBe(token);
  });
});
