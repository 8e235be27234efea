import { SpectroCloudAuthMetrics } from '../../src/metrics';
import { randomBytes } from 'node:crypto';
import v8 from 'node:v8';
import jwt from 'jsonwebtoken';
import vm from 'node:vm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemoryStore } from '../../src/ttlStore/memoryStore';
import { registerSecret } from '../support/secrets';

const HOUR = 60 * 60 * 1000;

describe('MemoryStore', () => {
  const stores: MemoryStore[] = [];
  const make = (options: ConstructorParameters<typeof MemoryStore>[0] = {}) => {
    const store = new MemoryStore({ sweepIntervalMs: 0, ...options });
    stores.push(store);
    return store;
  };
  afterEach(async () => {
    vi.useRealTimers();
    await Promise.all(stores.splice(0).map(s => s.close()));
  });

  it('returns a stored token until it expires', async () => {
    let now = 1_000_000;
    const store = make({ clock: () => now });
    await store.set('ref:user:default/alice', 'token-a', now + HOUR);
    expect(await store.get('ref:user:default/alice')).toBe('token-a');
    now += HOUR - 1;
    expect(await store.get('ref:user:default/alice')).toBe('token-a');
    now += 1;
    expect(await store.get('ref:user:default/alice')).toBeUndefined();
  });

  it('does not store a token whose expiry has already passed', async () => {
    const now = 1_000_000;
    const metrics = new SpectroCloudAuthMetrics();
    const store = make({ clock: () => now, metrics });
    await store.set('k', 'old', now - 1);
    expect(store.size).toBe(0);
    expect(await store.get('k')).toBeUndefined();
  });

  it('removes an expired entry when it is read and counts it as expired', async () => {
    let now = 0;
    const metrics = new SpectroCloudAuthMetrics();
    const store = make({ clock: () => now, metrics });
    await store.set('k', 'v', 10);
    now = 10;
    expect(await store.get('k')).toBeUndefined();
    expect(store.size).toBe(0);
    expect(metrics.snapshot().tokenStore).toMatchObject({ expired: 1, misses: 1, hits: 0 });
  });

  it('never holds more than maxEntries under 100k distinct users, and counts the evictions', async () => {
    const metrics = new SpectroCloudAuthMetrics();
    const store = make({ maxEntries: 1_000, metrics });
    const expiresAt = Date.now() + HOUR;
    let largest = 0;
    for (let i = 0; i < 100_000; i++) {
      await store.set(`ref:user:default/u${i}`, `token-${i}`, expiresAt);
      largest = Math.max(largest, store.size);
    }
    expect(largest).toBe(1_000);
    expect(store.size).toBe(1_000);
    expect(metrics.snapshot().tokenStore.evictions).toBe(99_000);
    expect(await store.get('ref:user:default/u99999')).toBe('token-99999');
    expect(await store.get('ref:user:default/u0')).toBeUndefined();
  });

  it('evicts the least recently used entry, where a read counts as a use', async () => {
    const store = make({ maxEntries: 3 });
    const expiresAt = Date.now() + HOUR;
    await store.set('a', '1', expiresAt);
    await store.set('b', '2', expiresAt);
    await store.set('c', '3', expiresAt);
    await store.get('a'); // b is now the least recently used
    await store.set('d', '4', expiresAt);
    expect(await store.get('b')).toBeUndefined();
    expect(await store.get('a')).toBe('1');
    expect(await store.get('c')).toBe('3');
    expect(await store.get('d')).toBe('4');
  });

  it('gives a read entry one more round only: not read again, it goes at the next pass', async () => {
    const store = make({ maxEntries: 3 });
    const expiresAt = Date.now() + HOUR;
    await store.set('a', '1', expiresAt);
    await store.set('b', '2', expiresAt);
    await store.set('c', '3', expiresAt);
    await store.get('a');
    await store.set('d', '4', expiresAt); // a passed (unmarked, to the end), b evicted
    await store.set('e', '5', expiresAt); // c evicted
    await store.set('f', '6', expiresAt); // a, unread since its second chance, evicted
    expect(await store.get('a')).toBeUndefined();
    expect(await store.get('d')).toBe('4');
    expect(await store.get('e')).toBe('5');
    expect(await store.get('f')).toBe('6');
  });

  it('bounds the walk of one eviction: with every entry read, a write passes 32 of them and evicts the 33rd oldest', async () => {
    const metrics = new SpectroCloudAuthMetrics();
    const store = make({ maxEntries: 100, metrics });
    const expiresAt = Date.now() + HOUR;
    for (let i = 0; i < 100; i++) await store.set(`k${i}`, `v${i}`, expiresAt);
    for (let i = 0; i < 100; i++) await store.get(`k${i}`);
    await store.set('new', 'v', expiresAt);
    expect(store.size).toBe(100);
    expect(metrics.snapshot().tokenStore.evictions).toBe(1);
    expect(await store.get('k32')).toBeUndefined();
    for (const kept of ['k0', 'k31', 'k33', 'k99', 'new']) expect(await store.get(kept)).toBeDefined();
  });

  it('returns a packed session token unchanged however often it is read and passed by eviction', async () => {
    const token = jwt.sign({ sub: 'u1' }, randomBytes(32), { algorithm: 'HS256', expiresIn: 3600 });
    registerSecret(token);
    const store = make({ maxEntries: 2 });
    const expiresAt = Date.now() + HOUR;
    await store.set('t', token, expiresAt);
    expect(await store.get('t')).toBe(token);
    expect(await store.get('t')).toBe(token);
    await store.set('x', '1', expiresAt);
    await store.set('y', '2', expiresAt); // t passed (its mark cleared), x evicted
    expect(await store.get('t')).toBe(token);
  });

  it('grows by no table slots when every entry is read (a read leaves no hole in the Map)', async () => {
    // 200,000 entries fill a V8 hash table of 2^18 slots; a delete + re-insert per read would leave
    // holes that make it double (36 B per entry measured here) long before every entry was read.
    const users = 200_000;
    const gc = exposeGc();
    const store = make({ maxEntries: users });
    const expiresAt = Date.now() + HOUR;
    // Flat keys, as from a request (a template string this long is a rope that a lookup flattens, which grows it).
    const key = (i: number) => Buffer.from(`ref:~bench-user-${i.toString(36).padStart(8, '0')}`, 'latin1').toString('latin1');
    for (let i = 0; i < users; i++) await store.set(key(i), `token-${i.toString(36).padStart(8, '0')}`, expiresAt);
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < users; i++) await store.get(key((i * 7_919) % users));
    gc();
    const grownPerEntry = (process.memoryUsage().heapUsed - before) / users;
    if (process.env.SHOW_MEMORY) console.log(`grown per entry after reading all: ${grownPerEntry.toFixed(1)} B`);
    expect(grownPerEntry).toBeLessThan(10);
    expect(await store.get(key(4242))).toBe(`token-${(4242).toString(36).padStart(8, '0')}`);
  }, 60_000);

  it('treats overwriting a key as a use and does not grow', async () => {
    const store = make({ maxEntries: 2 });
    const expiresAt = Date.now() + HOUR;
    await store.set('a', '1', expiresAt);
    await store.set('b', '2', expiresAt);
    await store.set('a', '1b', expiresAt);
    await store.set('c', '3', expiresAt);
    expect(store.size).toBe(2);
    expect(await store.get('a')).toBe('1b');
    expect(await store.get('b')).toBeUndefined();
  });

  it('counts an expired eviction victim as expired, not as an eviction', async () => {
    let now = 0;
    const metrics = new SpectroCloudAuthMetrics();
    const store = make({ maxEntries: 1, clock: () => now, metrics });
    await store.set('a', '1', 5);
    now = 6;
    await store.set('b', '2', 100);
    expect(metrics.snapshot().tokenStore).toMatchObject({ expired: 1, evictions: 0 });
  });

  it('purges every expired entry at once', async () => {
    let now = 0;
    const metrics = new SpectroCloudAuthMetrics();
    const store = make({ clock: () => now, metrics });
    for (let i = 0; i < 10; i++) await store.set(`k${i}`, 'v', i < 7 ? 100 : 1_000);
    now = 100;
    expect(store.purgeExpired()).toBe(7);
    expect(store.size).toBe(3);
    expect(metrics.snapshot().tokenStore.expired).toBe(7);
  });

  it('sweeps expired entries periodically without being asked', async () => {
    vi.useFakeTimers();
    const start = Date.now();
    const store = make({ sweepIntervalMs: 1_000 });
    await store.set('short', 'v', start + 500);
    await store.set('long', 'v', start + HOUR);
    vi.advanceTimersByTime(1_000);
    expect(store.size).toBe(1);
  });

  it('deletes an entry', async () => {
    const store = make();
    await store.set('k', 'v', Date.now() + HOUR);
    await store.delete('k');
    expect(await store.get('k')).toBeUndefined();
  });

  it('counts hits and misses', async () => {
    const metrics = new SpectroCloudAuthMetrics();
    const store = make({ metrics });
    await store.set('k', 'v', Date.now() + HOUR);
    await store.get('k');
    await store.get('k');
    await store.get('nope');
    expect(metrics.snapshot().tokenStore).toMatchObject({ hits: 2, misses: 1 });
  });

  it('rejects a maxEntries that is not a positive integer', () => {
    expect(() => new MemoryStore({ maxEntries: 0 })).toThrow(/maxEntries must be a positive integer/);
    expect(() => new MemoryStore({ maxEntries: 1.5 })).toThrow(/maxEntries/);
  });

  it('holds a user in little more than the bytes of its session token and key (within 1.3x)', async () => {
    const users = 200_000;
    const token = jwt.sign({ sub: 'a1b2c3d4e5f60718293a4b5c', email: 'some.user@example.com', tenant: 'tenant-local' }, randomBytes(32), {
      algorithm: 'HS256',
      expiresIn: 3600,
    });
    registerSecret(token);
    const template = Buffer.from(token, 'latin1');
    // Distinct flat strings, as tokens arriving from the network are: patch 8 characters before the canonical last one.
    const distinctToken = (i: number) => {
      template.write(i.toString(36).padStart(8, '0'), template.length - 9, 'latin1');
      return template.toString('latin1');
    };
    const key = (i: number) => `user:default/bench-user-${i.toString(36).padStart(8, '0')}`;
    const gc = exposeGc();
    gc();
    const before = process.memoryUsage().heapUsed;
    const store = make({ maxEntries: users });
    const expiresAt = Date.now() + HOUR;
    for (let i = 0; i < users; i++) await store.set(key(i), distinctToken(i), expiresAt);
    gc();
    const perEntry = (process.memoryUsage().heapUsed - before) / users;
    const raw = token.length + key(0).length;
    if (process.env.SHOW_MEMORY) console.log(`bytes per entry: ${perEntry.toFixed(0)} (raw ${raw})`);
    expect(store.size).toBe(users);
    expect(perEntry).toBeLessThan(1.3 * raw);
    expect(await store.get(key(4242))).toBe(distinctToken(4242));
    const t0 = performance.now();
    store.purgeExpired();
    expect(performance.now() - t0).toBeLessThan(1_000);
  }, 60_000);
});

function exposeGc(): () => void {
  if (typeof globalThis.gc === 'function') return globalThis.gc as () => void;
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}
