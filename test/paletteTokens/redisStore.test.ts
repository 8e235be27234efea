import { SpectroCloudAuthMetrics } from '../../src/metrics';
import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  SpectroCloudTokenStoreError,
} from '../../src/paletteTokens';
import { RedisStore } from '../../src/paletteTokens/stores/redisStore';
import { type RedisTestServer, getFreePort, startRedisServer } from '../support/redisServer';
import { registerSecret } from '../support/secrets';

const HOUR = 60 * 60 * 1000;

describe('RedisStore on a real redis-server', () => {
  let server: RedisTestServer;
  let raw: Redis;
  const stores: RedisStore[] = [];
  const make = (options: ConstructorParameters<typeof RedisStore>[0] = {}) => {
    const store = new RedisStore({ client: server.url, ...options });
    stores.push(store);
    return store;
  };
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  beforeAll(async () => {
    server = await startRedisServer();
    raw = new Redis(server.url);
    process.on('unhandledRejection', onUnhandled);
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map(s => s.close()));
    await raw.flushall();
    vi.restoreAllMocks();
  });
  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    raw.disconnect();
    await server?.stop();
  });

  it('stores, reads and deletes a token', async () => {
    const store = make();
    const token = secret('redis-token-');
    await store.set('ref:user:default/alice', token, Date.now() + HOUR);
    expect(await store.get('ref:user:default/alice')).toBe(token);
    await store.delete('ref:user:default/alice');
    expect(await store.get('ref:user:default/alice')).toBeUndefined();
  });

  it('lets Redis expire the entry at expiresAt (SET ... PX)', async () => {
    const store = make();
    await store.set('k', secret('short-lived-'), Date.now() + 300);
    const [key] = await raw.keys('spectrocloud:session:*');
    const pttl = await raw.pttl(key!);
    expect(pttl).toBeGreaterThan(0);
    expect(pttl).toBeLessThanOrEqual(300);
    await new Promise(r => setTimeout(r, 400));
    expect(await store.get('k')).toBeUndefined();
  });

  it('removes the entry instead of storing it when expiresAt has passed', async () => {
    const store = make();
    await store.set('k', secret('first-token-'), Date.now() + HOUR);
    await store.set('k', secret('stale-token-'), Date.now() - 1);
    expect(await store.get('k')).toBeUndefined();
    expect(await raw.dbsize()).toBe(0);
  });

  it('stores keys as prefixed SHA-256 hashes, so no user identifier is readable in Redis', async () => {
    const store = make({ keyPrefix: 'test:' });
    await store.set('email:alice@example.com', secret('hashed-key-token-'), Date.now() + HOUR);
    const keys = await raw.keys('*');
    expect(keys).toEqual([`test:${createHash('sha256').update('email:alice@example.com').digest('hex')}`]);
    expect(keys.join()).not.toContain('alice');
  });

  it('keeps tokens across a backend restart (a new store instance on the same Redis)', async () => {
    const token = secret('survives-restart-');
    const before = make();
    await before.set('ref:user:default/alice', token, Date.now() + HOUR);
    await before.close();
    const after = make();
    expect(await after.get('ref:user:default/alice')).toBe(token);
  });

  it('counts hits and misses', async () => {
    const metrics = new SpectroCloudAuthMetrics();
    const store = make({ metrics });
    await store.set('k', secret('metrics-token-'), Date.now() + HOUR);
    await store.get('k');
    await store.get('missing');
    expect(metrics.snapshot().tokenStore).toMatchObject({ hits: 1, misses: 1, errors: 0 });
  });

  it('works with an ioredis client passed in, and leaves it connected on close', async () => {
    const client = new Redis(server.url);
    const store = new RedisStore({ client });
    await store.set('k', secret('own-client-token-'), Date.now() + HOUR);
    await store.close();
    expect(await client.ping()).toBe('PONG');
    client.disconnect();
  });

  it('fails fast with ERR_TOKEN_STORE_UNAVAILABLE when nothing listens on the port', async () => {
    const port = await getFreePort();
    const metrics = new SpectroCloudAuthMetrics();
    const store = make({ client: `redis://127.0.0.1:${port}`, metrics });
    const started = Date.now();
    const error = await store.get('ref:user:default/alice').catch(e => e);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(error).toBeInstanceOf(SpectroCloudTokenStoreError);
    expect(error).toMatchObject({ code: 'ERR_TOKEN_STORE_UNAVAILABLE', statusCode: 503 });
    expect(error.message).toMatch(/Redis token store is unavailable/);
    expect(error.message).toMatch(/ECONNREFUSED/);
    expect(error.message).not.toContain('alice');
    // No internal address: neither the host nor the port.
    expect(error.message).not.toContain('127.0.0.1');
    expect(error.message).not.toContain(String(port));
    expect(error.cause.message).not.toContain(String(port));
    expect(metrics.snapshot().tokenStore.errors).toBe(1);
  });

  it('keeps failing fast, without crashing or unhandled rejections, while Redis stays down', async () => {
    const consoleError = vi.spyOn(console, 'error');
    const port = await getFreePort();
    const warnings: string[] = [];
    const store = make({
      client: `redis://127.0.0.1:${port}`,
      logger: { info: () => undefined, warn: m => warnings.push(m), error: () => undefined },
    });
    for (let i = 0; i < 5; i++) {
      await expect(store.set('k', secret('never-stored-'), Date.now() + HOUR)).rejects.toMatchObject({
        code: 'ERR_TOKEN_STORE_UNAVAILABLE',
      });
      await new Promise(r => setTimeout(r, 100)); // let ioredis retry and emit 'error' events
    }
    expect(unhandled).toEqual([]);
    expect(consoleError).not.toHaveBeenCalledWith(expect.stringContaining('Unhandled error event'), expect.anything());
    expect(warnings).toHaveLength(1); // one line per outage, not one per retry
  });

  it('reports a stopped server as unavailable, then recovers once it is back', async () => {
    const store = make();
    await store.set('k', secret('before-outage-'), Date.now() + HOUR);
    await server.stop();
    try {
      await expect(store.get('k')).rejects.toMatchObject({ code: 'ERR_TOKEN_STORE_UNAVAILABLE' });
    } finally {
      await server.restart();
      raw.disconnect();
      raw = new Redis(server.url);
    }
    // redis-server runs without persistence here, so the data is gone but the store works again.
    await vi.waitFor(async () => expect(await store.get('k')).toBeUndefined(), { timeout: 10_000, interval: 200 });
    const token = secret('after-outage-');
    await store.set('k', token, Date.now() + HOUR);
    expect(await store.get('k')).toBe(token);
    expect(unhandled).toEqual([]);
  });

  it('fails within timeoutMs even with a passed-in client that would queue commands', async () => {
    const port = await getFreePort();
    const client = new Redis(`redis://127.0.0.1:${port}`); // ioredis defaults: offline queue, 20 retries
    client.on('error', () => undefined);
    const store = new RedisStore({ client, timeoutMs: 300 });
    const started = Date.now();
    await expect(store.get('k')).rejects.toMatchObject({
      code: 'ERR_TOKEN_STORE_UNAVAILABLE',
      message: expect.stringMatching(/no answer within 300 ms; last connection error: connection refused \(ECONNREFUSED\)/),
    });
    await expect(store.get('k')).rejects.toSatisfy((error: Error) => !error.message.includes(String(port)) && !error.message.includes('127.0.0.1'));
    expect(Date.now() - started).toBeLessThan(1_500);
    await store.close();
    client.disconnect();
    expect(unhandled).toEqual([]);
  });

  it('refuses to work after close()', async () => {
    const store = make();
    await store.close();
    await expect(store.get('k')).rejects.toMatchObject({ code: 'ERR_TOKEN_STORE_UNAVAILABLE', message: expect.stringMatching(/closed/) });
  });
});

function secret(prefix: string): string {
  const value = `${prefix}${Math.random().toString(36).slice(2)}${Date.now()}`;
  registerSecret(value);
  return value;
}
