// Figure 4: Palette-token stores. MemoryStore at many distinct users
// (ops/s, memory per user against the raw data), the session cache as the
// provider wires it, and RedisStore against a real redis-server and a
// real 3-master Redis Cluster on loopback.
import { MemoryStore } from '../src/ttlStore/memoryStore';
import { RedisStore } from '../src/paletteTokens/stores/redisStore';
import { randomBytes } from 'node:crypto';
import { createPaletteTokenCache } from '../src/paletteTokens/stores/createPaletteTokenCache';
import { PaletteTokenCache } from '../src/paletteTokens/stores/paletteTokenCache';
import type { SpectroCloudStore } from '../src/ttlStore/types';
import { startSpectroCloudEmulator } from '../src/testing';
import type { JsonObject } from '@backstage/types';
import type { Settings } from './settings';
import { percentile } from './stats';

export interface MemoryStoreFigure {
  name: string;
  users: number;
  tokenLength: number;
  keyLength: number;
  setPerSec: number;
  getPerSec: number;
  rssDeltaMb: number;
  heapDeltaMb: number;
  bytesPerEntry: number;
  /** the data itself: token and key characters (one byte each) */
  rawBytesPerUser: number;
  gcForced: boolean;
}

/** The store as the provider uses it: one entry per user (ref:) and an e-mail pointer in an index of the same size. */
export interface SessionCacheFigure {
  users: number;
  /** token, entity ref and e-mail characters */
  rawBytesPerUser: number;
  rememberPerSec: number;
  forUserPerSec: number;
  rssDeltaMb: number;
  heapDeltaMb: number;
  bytesPerUser: number;
}

export interface RedisStoreFigure {
  ops: number;
  set: { p50Ms: number; p99Ms: number; perSec: number };
  get: { p50Ms: number; p99Ms: number; perSec: number };
  concurrentGetPerSec: number;
  concurrentSetPerSec?: number;
  concurrency: number;
  redisVersion?: string;
  /** the same operations, `concurrency` in flight, on a 3-master Redis Cluster */
  cluster?: { masters: number; concurrentGetPerSec: number; concurrentSetPerSec: number } | { skipped: string };
}

/** A real Palette token (HS256 JWT) from the emulator, to size the test tokens by. */
async function samplePaletteToken(): Promise<string> {
  const emulator = await startSpectroCloudEmulator({
    clients: [{ clientId: 'bench-store', clientSecret: 'bench-store-secret', redirectUris: ['http://127.0.0.1/callback'] }],
    users: [{ email: 'alice@example.com' }],
  });
  try {
    const now = Math.floor(Date.now() / 1000);
    return emulator.signPaletteToken({ sub: 'a1b2c3d4e5f60718293a4b5c', email: 'some.user@example.com', tenant: 'tenant-local', iat: now, exp: now + 3600 });
  } finally {
    await emulator.close();
  }
}

/**
 * A flat (not rope) string: the template with `n` written into 8 characters
 * just before its last one, as one arriving from the network would be. The
 * last character stays, so a base64url signature stays canonical (its last
 * character carries padding bits that must be zero).
 */
function distinct(template: Buffer, n: number): string {
  const digits = n.toString(36);
  template.write(digits.padStart(8, '0'), template.length - 9, 'latin1');
  return template.toString('latin1');
}

/**
 * Memory after forced full GCs; a short pause between them lets V8 hand freed
 * pages back, so RSS reflects what is held rather than what was churned.
 */
async function settle(): Promise<{ rss: number; heap: number }> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    for (let i = 0; i < 3; i++) {
      gc();
      await new Promise(resolve => setTimeout(resolve, 200));
    }
  }
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed };
}

export async function memoryStoreFigure(settings: Settings): Promise<MemoryStoreFigure> {
  // Room for every user: the default maxEntries (10,000) would evict all but the most recent.
  return measureMemoryStore('MemoryStore', settings, users => new MemoryStore({ maxEntries: users, sweepIntervalMs: 0 }));
}

async function measureMemoryStore(
  name: string,
  settings: Settings,
  makeStore: (users: number) => SpectroCloudStore & { size: number },
): Promise<MemoryStoreFigure> {
  const users = settings.memoryUsers;
  const token = await samplePaletteToken();
  const tokenTemplate = Buffer.from(token, 'latin1');
  const keyTemplate = Buffer.from('user:default/bench-user-00000000', 'latin1');
  const expiresAt = Date.now() + 3600_000;

  const before = await settle();
  const store = makeStore(users);
  let t0 = performance.now();
  for (let i = 0; i < users; i++) await store.set(distinct(keyTemplate, i), distinct(tokenTemplate, i), expiresAt);
  const setPerSec = users / ((performance.now() - t0) / 1000);
  if (store.size !== users) throw new Error(`${name} holds ${store.size} entries, expected ${users}`);

  // Reads in a scattered order (a stride through all users), each key a fresh string as from a request.
  const stride = 7_919;
  let wrong = 0;
  t0 = performance.now();
  for (let i = 0; i < users; i++) {
    const n = (i * stride) % users;
    const value = await store.get(distinct(keyTemplate, n));
    // Check every 1000th value in full (the check itself would dominate otherwise).
    if (value === undefined || (i % 1000 === 0 && value !== distinct(Buffer.from(tokenTemplate), n))) wrong += 1;
  }
  const getPerSec = users / ((performance.now() - t0) / 1000);
  if (wrong > 0) throw new Error(`${name} returned ${wrong} missing or wrong tokens`);

  const after = await settle();
  const result: MemoryStoreFigure = {
    name,
    users,
    tokenLength: token.length,
    keyLength: keyTemplate.length,
    setPerSec,
    getPerSec,
    rssDeltaMb: (after.rss - before.rss) / 2 ** 20,
    heapDeltaMb: (after.heap - before.heap) / 2 ** 20,
    bytesPerEntry: (after.heap - before.heap) / users,
    rawBytesPerUser: token.length + keyTemplate.length,
    gcForced: typeof (globalThis as { gc?: unknown }).gc === 'function',
  };
  await store.close();
  console.log(
    `   ${name}, ${users.toLocaleString('en-US')} users (${token.length}-char tokens): set ${setPerSec.toFixed(0)}/s, get ${getPerSec.toFixed(0)}/s, ` +
      `RSS +${result.rssDeltaMb.toFixed(0)} MB, heap +${result.heapDeltaMb.toFixed(0)} MB (${result.bytesPerEntry.toFixed(0)} B/entry, ${(result.bytesPerEntry / result.rawBytesPerUser).toFixed(2)}x the raw ${result.rawBytesPerUser} B)${result.gcForced ? '' : ' [no --expose-gc: figures include garbage]'}`,
  );
  return result;
}

export async function redisStoreFigure(settings: Settings): Promise<RedisStoreFigure | { skipped: string }> {
  let redis: { url: string; stop(): Promise<void> };
  try {
    const { startRedisServer } = await import('../test/support/redisServer');
    redis = await startRedisServer();
  } catch (error) {
    const skipped = (error as Error).message.split('\n')[0];
    console.log(`   RedisStore: skipped (${skipped})`);
    return { skipped };
  }
  const store = new RedisStore({ client: redis.url, timeoutMs: 5_000 });
  try {
    const token = await samplePaletteToken();
    const tokenTemplate = Buffer.from(token, 'latin1');
    const keyTemplate = Buffer.from('user:default/bench-user-00000000', 'latin1');
    const expiresAt = Date.now() + 3600_000;
    const n = settings.redisOps;
    for (let i = 0; i < 500; i++) await store.set(distinct(keyTemplate, i), distinct(tokenTemplate, i), expiresAt); // warm-up

    const timeOps = async (op: (i: number) => Promise<unknown>) => {
      const latencies = new Float64Array(n);
      const t0 = performance.now();
      for (let i = 0; i < n; i++) {
        const s = performance.now();
        await op(i);
        latencies[i] = performance.now() - s;
      }
      const perSec = n / ((performance.now() - t0) / 1000);
      latencies.sort();
      return { p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99), perSec };
    };
    const set = await timeOps(i => store.set(distinct(keyTemplate, i), distinct(tokenTemplate, i), expiresAt));
    const get = await timeOps(async i => {
      if ((await store.get(distinct(keyTemplate, i))) === undefined) throw new Error('redis store lost an entry');
    });

    const concurrentSetPerSec = await inFlight(n, i => store.set(distinct(keyTemplate, i), distinct(tokenTemplate, i), expiresAt));
    const concurrentGetPerSec = await inFlight(n, async i => {
      if ((await store.get(distinct(keyTemplate, i))) === undefined) throw new Error('redis store lost an entry');
    });
    const result: RedisStoreFigure = { ops: n, set, get, concurrentGetPerSec, concurrentSetPerSec, concurrency: IN_FLIGHT };
    console.log(
      `   RedisStore (loopback redis-server), ${n} sequential ops each: set p50 ${set.p50Ms.toFixed(3)} ms p99 ${set.p99Ms.toFixed(3)} ms; ` +
        `get p50 ${get.p50Ms.toFixed(3)} ms p99 ${get.p99Ms.toFixed(3)} ms; ${IN_FLIGHT} in flight: ${concurrentGetPerSec.toFixed(0)} get/s, ${concurrentSetPerSec.toFixed(0)} set/s`,
    );
    result.cluster = await redisClusterFigure(n, tokenTemplate, keyTemplate, expiresAt);
    return result;
  } finally {
    await store.close();
    await redis.stop();
  }
}

const IN_FLIGHT = 32;

/** Runs `n` operations with IN_FLIGHT of them in flight at any time; returns operations per second. */
async function inFlight(n: number, op: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < n) await op(next++);
    }),
  );
  return n / ((performance.now() - t0) / 1000);
}

/** The same store on a real 3-master Redis Cluster (keys spread over all slots), IN_FLIGHT operations in flight. */
async function redisClusterFigure(
  n: number,
  tokenTemplate: Buffer,
  keyTemplate: Buffer,
  expiresAt: number,
): Promise<NonNullable<RedisStoreFigure['cluster']>> {
  let cluster: { startupNodes: Array<{ host: string; port: number }>; close(): Promise<void> };
  try {
    const { startRedisCluster } = await import('../test/support/redisCluster');
    cluster = await startRedisCluster({ masters: 3 });
  } catch (error) {
    const skipped = (error as Error).message.split('\n')[0];
    console.log(`   RedisStore on a Redis Cluster: skipped (${skipped})`);
    return { skipped };
  }
  const store = new RedisStore({ client: { cluster: { nodes: cluster.startupNodes } }, timeoutMs: 5_000 });
  try {
    for (let i = 0; i < 500; i++) await store.set(distinct(keyTemplate, i), distinct(tokenTemplate, i), expiresAt); // warm-up: slot map, connections
    const concurrentSetPerSec = await inFlight(n, i => store.set(distinct(keyTemplate, i), distinct(tokenTemplate, i), expiresAt));
    const concurrentGetPerSec = await inFlight(n, async i => {
      if ((await store.get(distinct(keyTemplate, i))) === undefined) throw new Error('redis cluster store lost an entry');
    });
    console.log(`   RedisStore (3-master Redis Cluster on loopback), ${IN_FLIGHT} in flight: ${concurrentGetPerSec.toFixed(0)} get/s, ${concurrentSetPerSec.toFixed(0)} set/s`);
    return { masters: 3, concurrentGetPerSec, concurrentSetPerSec };
  } finally {
    await store.close();
    await cluster.close();
  }
}

export async function sessionCacheFigure(settings: Settings): Promise<SessionCacheFigure> {
  const users = settings.memoryUsers;
  const tokenTemplate = Buffer.from(await samplePaletteToken(), 'latin1');
  const refTemplate = Buffer.from('user:default/bench-user-00000000', 'latin1');
  const emailTemplate = Buffer.from('bench.user.00000000', 'latin1');
  const expiresAt = Date.now() + 3600_000;
  const before = await settle();
  // As createPaletteTokenCache wires the memory store: maxEntries counts users, the e-mail index has the same bound.
  const cache = new PaletteTokenCache({
    store: new MemoryStore({ maxEntries: users, sweepIntervalMs: 0 }),
    index: new MemoryStore({ maxEntries: users, sweepIntervalMs: 0 }),
  });
  let t0 = performance.now();
  for (let i = 0; i < users; i++) {
    await cache.remember({
      userEntityRef: distinct(refTemplate, i),
      email: `${distinct(emailTemplate, i)}@example.com`,
      sessionToken: distinct(tokenTemplate, i),
      expiresAt,
    });
  }
  const rememberPerSec = users / ((performance.now() - t0) / 1000);
  const stride = 7_919;
  let misses = 0;
  t0 = performance.now();
  for (let i = 0; i < users; i++) if (!(await cache.forUser(distinct(refTemplate, (i * stride) % users)))) misses += 1;
  const forUserPerSec = users / ((performance.now() - t0) / 1000);
  if (misses) throw new Error(`session cache missed ${misses} of ${users} users`);
  const after = await settle();
  await cache.close();
  const result: SessionCacheFigure = {
    users,
    rawBytesPerUser: tokenTemplate.length + refTemplate.length + emailTemplate.length + '@example.com'.length,
    rememberPerSec,
    forUserPerSec,
    rssDeltaMb: (after.rss - before.rss) / 2 ** 20,
    heapDeltaMb: (after.heap - before.heap) / 2 ** 20,
    bytesPerUser: (after.heap - before.heap) / users,
  };
  console.log(
    `   PaletteTokenCache over MemoryStore (as the provider wires it), ${users.toLocaleString('en-US')} users: remember ${rememberPerSec.toFixed(0)}/s, forUser ${forUserPerSec.toFixed(0)}/s, ` +
      `RSS +${result.rssDeltaMb.toFixed(0)} MB, heap +${result.heapDeltaMb.toFixed(0)} MB (${result.bytesPerUser.toFixed(0)} B/user, ${(result.bytesPerUser / result.rawBytesPerUser).toFixed(2)}x the raw ${result.rawBytesPerUser} B)`,
  );
  return result;
}

/** Memory per signed-in user in each store, as `createPaletteTokenCache` wires it from `tokenStore` (issue 27). */
export interface StoreMemoryFigure {
  users: number;
  /** token, entity ref and e-mail characters */
  rawBytesPerUser: number;
  stores: Array<{ store: string; where: string; bytesPerUser: number } | { store: string; skipped: string }>;
}

/**
 * Each shared store signs in `users` users through the cache the provider uses (entry and e-mail pointer), and
 * the memory they hold is read where the store keeps it: Redis's `used_memory` (INFO), or the V8 heap after
 * forced GCs for Backstage's in-process memory cache. The memory store's own figure is the section above.
 */
export async function storeMemoryFigure(settings: Settings): Promise<StoreMemoryFigure> {
  const users = settings.quick ? 5_000 : 100_000;
  const tokenTemplate = Buffer.from(await samplePaletteToken(), 'latin1');
  const refTemplate = Buffer.from('user:default/bench-user-00000000', 'latin1');
  const emailTemplate = Buffer.from('bench.user.00000000', 'latin1');
  const expiresAt = Date.now() + 3600_000;
  const encryptionKey = randomBytes(32).toString('base64');
  const { ConfigReader } = await import('@backstage/config');
  // Other users for every store: Backstage's memory cache may outlive its manager, and must not count overwrites.
  let run = 0;
  const signInAll = async (cache: PaletteTokenCache) => {
    const first = run++ * users;
    await inFlight(users, i =>
      cache.remember({ userEntityRef: distinct(refTemplate, first + i), email: `${distinct(emailTemplate, first + i)}@example.com`, sessionToken: distinct(tokenTemplate, first + i), expiresAt }),
    );
    for (const i of [first, first + users - 1]) if (!(await cache.forUser(distinct(refTemplate, i)))) throw new Error('the store lost a user');
  };
  const config = (tokenStore: JsonObject) =>
    new ConfigReader({ backend: { cache: { store: 'memory' } }, auth: { providers: { spectrocloud: { tokenStore } } } });
  const stores: StoreMemoryFigure['stores'] = [];

  let redis: { url: string; stop(): Promise<void> } | undefined;
  try {
    const { startRedisServer } = await import('../test/support/redisServer');
    redis = await startRedisServer();
  } catch (error) {
    const skipped = (error as Error).message.split('\n')[0]!;
    stores.push({ store: 'redis', skipped }, { store: 'redis, encrypted', skipped });
  }
  if (redis) {
    const { Redis } = await import('ioredis');
    const admin = new Redis(redis.url);
    const usedMemory = async () => Number(/used_memory:(\d+)/.exec(await admin.info('memory'))![1]);
    try {
      for (const [store, tokenStore] of [
        ['redis', { type: 'redis', redis: { url: redis.url } }],
        ['redis, encrypted', { type: 'redis', redis: { url: redis.url }, encryptionKey }],
      ] as const) {
        await admin.flushall();
        const before = await usedMemory();
        const cache = createPaletteTokenCache(config(tokenStore));
        await signInAll(cache);
        const bytesPerUser = ((await usedMemory()) - before) / users;
        await cache.close();
        stores.push({ store, where: "redis-server's used_memory", bytesPerUser });
      }
    } finally {
      admin.disconnect();
      await redis.stop();
    }
  }

  // One backend's cache for both: what the first run wrote stays alive (and in `before`) while the second writes.
  const { CacheManager } = await import('@backstage/backend-common');
  const backendCache = CacheManager.fromConfig(config({}), { onError: () => undefined }).forPlugin('auth');
  for (const [store, tokenStore] of [
    ['backstage-cache (memory)', { type: 'backstage-cache' }],
    ['backstage-cache (memory), encrypted', { type: 'backstage-cache', encryptionKey }],
  ] as const) {
    const before = await settle();
    const cache = createPaletteTokenCache(config(tokenStore), { cache: backendCache });
    await signInAll(cache);
    const after = await settle();
    stores.push({ store, where: 'V8 heap of the backend (Backstage keeps it in-process)', bytesPerUser: (after.heap - before.heap) / users });
  }
  const rawBytesPerUser = tokenTemplate.length + refTemplate.length + emailTemplate.length + '@example.com'.length;
  for (const s of stores) console.log(`   ${s.store}: ${'skipped' in s ? `skipped (${s.skipped})` : `${s.bytesPerUser.toFixed(0)} B/user (${s.where})`}`);
  return { users, rawBytesPerUser, stores };
}
