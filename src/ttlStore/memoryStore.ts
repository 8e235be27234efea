// Named through the main entry, so the published types of .../palette-tokens point there.
import type { SpectroCloudAuthMetrics } from 'backstage-plugin-spectrocloud-auth-legacy';
import { PackedEntryCodec } from './packedEntry';
import type { SpectroCloudTokenStore } from './types';

/** @public */
export interface MemoryTokenStoreOptions {
  /** Upper bound on stored entries; the least recently used is evicted beyond it. Default 10 000. */
  maxEntries?: number;
  /** Epoch-milliseconds clock, injectable for tests. Default `Date.now`. */
  clock?: () => number;
  /** How often expired entries are swept out; 0 disables the sweep. Default 60 000 ms. */
  sweepIntervalMs?: number;
  metrics?: SpectroCloudAuthMetrics;
}

/**
 * Bounded, process-local LRU store with per-entry expiry.
 *
 * A `Map` keeps insertion order, so re-inserting on access makes its first key
 * the least recently used one. Memory stays bounded by `maxEntries` whatever
 * the traffic; expired entries go on access, on eviction and in a periodic
 * sweep whose timer is unref'd so it never keeps the process alive.
 *
 * Each entry is one packed string (expiry and value, a session token held as
 * bytes, see {@link PackedEntryCodec}): no object per entry, so a user costs
 * little more than the token and key themselves.
 *
 * Tokens are lost on restart and not shared between replicas: use
 * {@link RedisTokenStore} when either matters.
 *
 * @public
 */
export class MemoryTokenStore implements SpectroCloudTokenStore {
  private readonly entries = new Map<string, string>();
  private readonly codec = new PackedEntryCodec();
  private readonly maxEntries: number;
  private readonly clock: () => number;
  private readonly metrics?: SpectroCloudAuthMetrics;
  private sweepTimer?: ReturnType<typeof setInterval>;

  constructor(options: MemoryTokenStoreOptions = {}) {
    const { maxEntries = 10_000, clock = Date.now, sweepIntervalMs = 60_000, metrics } = options;
    if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) {
      throw new RangeError(`MemoryTokenStore maxEntries must be a positive integer, got ${String(maxEntries)}`);
    }
    this.maxEntries = maxEntries;
    this.clock = clock;
    this.metrics = metrics;
    if (sweepIntervalMs > 0) {
      this.sweepTimer = setInterval(() => this.purgeExpired(), sweepIntervalMs);
      this.sweepTimer.unref?.();
    }
  }

  /** Number of entries held right now, expired ones not yet purged included. */
  get size(): number {
    return this.entries.size;
  }

  async set(key: string, token: string, expiresAt: number): Promise<void> {
    this.entries.delete(key);
    if (!(expiresAt > this.clock())) return;
    // Make room first so the map never holds more than maxEntries, even briefly.
    while (this.entries.size >= this.maxEntries) this.evictOldest();
    this.entries.set(key, this.codec.pack(token, expiresAt));
  }

  async get(key: string): Promise<string | undefined> {
    const entry = this.entries.get(key);
    if (entry === undefined) {
      this.metrics?.recordTokenStore('misses');
      return undefined;
    }
    this.entries.delete(key);
    if (this.codec.expiresAt(entry) <= this.clock()) {
      this.metrics?.recordTokenStore('expired');
      this.metrics?.recordTokenStore('misses');
      return undefined;
    }
    this.entries.set(key, entry); // now the most recently used
    this.metrics?.recordTokenStore('hits');
    return this.codec.unpack(entry);
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }

  /** Removes every expired entry now; returns how many went. The periodic sweep calls this. */
  purgeExpired(): number {
    const now = this.clock();
    let purged = 0;
    // Deleting the current key while iterating a Map is safe in JavaScript.
    for (const [key, entry] of this.entries) {
      if (this.codec.expiresAt(entry) <= now) {
        this.entries.delete(key);
        purged += 1;
      }
    }
    if (purged > 0) this.metrics?.recordTokenStore('expired', purged);
    return purged;
  }

  async close(): Promise<void> {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.sweepTimer = undefined;
    this.entries.clear();
  }

  private evictOldest(): void {
    const oldest = this.entries.entries().next();
    if (oldest.done) return;
    const [key, entry] = oldest.value;
    this.entries.delete(key);
    // An expired victim was due to go anyway: count it as such, not as pressure.
    this.metrics?.recordTokenStore(this.codec.expiresAt(entry) <= this.clock() ? 'expired' : 'evictions');
  }
}
