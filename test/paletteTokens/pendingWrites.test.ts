import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpectroCloudAuthMetrics } from '../../src/metrics';
import { MemoryStore } from '../../src/ttlStore/memoryStore';
import { PendingStoreWrites } from '../../src/ttlStore/pendingWrites';
import { RedisStore } from '../../src/paletteTokens/stores/redisStore';
import { startRedisServer, type RedisTestServer } from '../support/redisServer';

const HOUR = 3_600_000;

function recordingLogger() {
  const lines: string[] = [];
  return { lines, info: (m: string) => lines.push(`info ${m}`), warn: (m: string) => lines.push(`warn ${m}`) };
}

/** A virtual clock that only moves when the retry loop waits: no real time passes in the tests that use it. */
function virtualTime(start = 1_000_000) {
  let now = start;
  return { clock: () => now, wait: async (ms: number) => void (now += ms) };
}

describe('PendingStoreWrites on a real Redis that goes away', () => {
  let redis: RedisTestServer;
  let store: RedisStore;
  beforeAll(async () => {
    redis = await startRedisServer();
    store = new RedisStore({ client: redis.url });
  });
  afterAll(async () => {
    await store?.close();
    await redis?.stop();
  });

  it('stores at once while Redis is up', async () => {
    const pending = new PendingStoreWrites({ what: 'test value' });
    expect(await pending.write('a', () => store.set('a', 'one', Date.now() + HOUR), Date.now() + HOUR)).toBe('stored');
    expect(await store.get('a')).toBe('one');
  });

  it('recovered: a write made while Redis is down lands once Redis is back', async () => {
    const metrics = new SpectroCloudAuthMetrics();
    const logger = recordingLogger();
    const pending = new PendingStoreWrites({ what: 'test value', metrics, logger, firstDelayMs: 50, maxDelayMs: 200 });
    await redis.kill();
    try {
      expect(await pending.write('b', () => store.set('b', 'two', Date.now() + HOUR), Date.now() + HOUR)).toBe('queued');
      expect(pending.has('b')).toBe(true);
    } finally {
      await redis.restart(); // empty: whatever is there afterwards came from the retry
    }
    await pending.settled();
    expect(await store.get('b')).toBe('two');
    expect(metrics.snapshot().tokenStore).toMatchObject({ writesQueued: 1, writesRecovered: 1, writesLost: 0 });
    expect(logger.lines[0]).toBe(
      'warn test value not stored yet (ERR_TOKEN_STORE_UNAVAILABLE): the token store is unavailable; retrying in the background for up to 30 s',
    );
    expect(logger.lines.at(-1)).toBe('info test value: writes delayed by a token-store outage are stored now');
  });

  it('gave up: Redis stays down past the retry window; the loss is logged and counted (virtual clock)', async () => {
    const metrics = new SpectroCloudAuthMetrics();
    const logger = recordingLogger();
    const time = virtualTime();
    const pending = new PendingStoreWrites({ what: 'test value', metrics, logger, retryForMs: 30_000, ...time });
    await redis.kill();
    try {
      await pending.write('c', () => store.set('c', 'three', Date.now() + HOUR), time.clock() + HOUR);
      await pending.settled();
    } finally {
      await redis.restart();
    }
    expect(pending.size).toBe(0);
    expect(await readOnceReconnected(store, 'c')).toBeUndefined();
    expect(metrics.snapshot().tokenStore).toMatchObject({ writesQueued: 1, writesRecovered: 0, writesLost: 1 });
    expect(logger.lines.at(-1)).toBe('warn test value lost (ERR_TOKEN_STORE_UNAVAILABLE): the store did not answer for 30 s');
    expect(logger.lines.join('\n')).not.toMatch(/127\.0\.0\.1|three/);
  });
});

/** The client reconnects in the background after a restart; bounded wait for it. */
async function readOnceReconnected(store: RedisStore, key: string): Promise<string | undefined> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      return await store.get(key);
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise(resolve => setTimeout(resolve, 100));
    }
  }
}

describe('PendingStoreWrites bounds', () => {
  const failing = async () => {
    // The error a store raises when it is unreachable, from a real store: a Redis on a closed port.
    const store = new RedisStore({ client: 'redis://127.0.0.1:1', timeoutMs: 200 });
    try {
      await store.get('x');
    } catch (error) {
      return error;
    } finally {
      await store.close();
    }
    throw new Error('expected the unreachable store to fail');
  };

  it('keeps at most maxPending writes, dropping the oldest with a log line', async () => {
    const outage = await failing();
    const metrics = new SpectroCloudAuthMetrics();
    const logger = recordingLogger();
    // A wait that never ends: the loop stays parked, so only the bound acts.
    const pending = new PendingStoreWrites({ what: 'test value', maxPending: 2, metrics, logger, wait: () => new Promise(() => undefined) });
    for (const key of ['u1', 'u2', 'u3']) {
      expect(await pending.write(key, () => Promise.reject(outage), Date.now() + HOUR)).toBe('queued');
    }
    expect([pending.has('u1'), pending.has('u2'), pending.has('u3')]).toEqual([false, true, true]);
    expect(metrics.snapshot().tokenStore.writesLost).toBe(1);
    expect(logger.lines).toContain('warn test value lost (ERR_TOKEN_STORE_UNAVAILABLE): more than 2 writes are waiting for the store');
  });

  it('the newest write for a key replaces the pending one', async () => {
    const outage = await failing();
    const memory = new MemoryStore();
    const time = virtualTime();
    let down = true;
    const pending = new PendingStoreWrites({ what: 'test value', ...time });
    const write = (value: string) => () => (down ? Promise.reject(outage) : memory.set('k', value, Number.MAX_SAFE_INTEGER));
    await pending.write('k', write('sign-in'), Number.MAX_SAFE_INTEGER);
    await pending.write('k', write('sign-out'), Number.MAX_SAFE_INTEGER);
    expect(pending.size).toBe(1);
    down = false;
    await pending.settled();
    expect(await memory.get('k')).toBe('sign-out');
    await memory.close();
  });

  it('rethrows errors that are not a store outage', async () => {
    const pending = new PendingStoreWrites({ what: 'test value' });
    await expect(pending.write('k', () => Promise.reject(new TypeError('bug')), Date.now() + HOUR)).rejects.toThrow('bug');
    expect(pending.size).toBe(0);
  });
});
