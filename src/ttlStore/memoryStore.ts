import { PackedEntryCodec, compactText, flat } from './packedEntry';
import type { SpectroCloudStore } from './types';

/** Marked entries an eviction passes over at most before it evicts the next one, marked or not. */
const MAX_SECOND_CHANCES = 32;

export interface MemoryStoreOptions {
  /** Upper bound on stored entries; beyond it one not read since eviction last passed it goes (the oldest such). Default 10 000. */
  maxEntries?: number;
  /** Epoch-milliseconds clock, injectable for tests. Default `Date.now`. */
  clock?: () => number;
  /** How often expired entries are swept out; 0 disables the sweep. Default 60 000 ms. */
  sweepIntervalMs?: number;
  /** Counts the events this store emits (SpectroCloudAuthMetrics implements it). */
  metrics?: { recordTokenStore(event: 'hits' | 'misses' | 'expired' | 'evictions', count?: number): void };
}

/**
 * Bounded, process-local store with per-entry expiry, evicting about the
 * least recently used entry by "second chance" (CLOCK): a read marks its entry
 * in place, and eviction, walking from the oldest write, gives a marked entry
 * one more round (unmarked, to the end) and evicts the first unmarked one. So
 * an entry read since eviction last passed it is not the one to go, unless
 * more than 32 older ones were read too (MAX_SECOND_CHANCES): the walk is
 * bounded so that no write stalls the event loop on a large store.
 *
 * Why not move an entry to the end on every read: in V8's `Map` a delete
 * leaves a hole until the table is rebuilt, and a full table of 2^20 entries
 * then doubles after some 48,000 reads (about 29 B per user at a million).
 * Replacing the value of an existing key leaves none. Memory stays bounded by
 * `maxEntries` whatever the traffic; expired entries go on access, on eviction
 * and in a periodic sweep whose timer is unref'd so it never keeps the process
 * alive.
 *
 * Each entry is one packed string (expiry and value, a Palette token held as
 * bytes, see {@link PackedEntryCodec}), under a key compacted the same way
 * (`user:default/` as one character): no object per entry, so a user costs
 * little more than the token and key themselves. The packing is this store's
 * own: what it returns is exactly what it was given.
 *
 * Tokens are lost on restart and not shared between replicas: use
 * {@link RedisStore} when either matters.
 */
export class MemoryStore implements SpectroCloudStore {
  private readonly entries = new Map<string, string>();
  private readonly codec = new PackedEntryCodec();
  private readonly maxEntries: number;
  private readonly clock: () => number;
  private readonly metrics?: MemoryStoreOptions['metrics'];
  private sweepTimer?: ReturnType<typeof setInterval>;

  constructor(options: MemoryStoreOptions = {}) {
    const { maxEntries = 10_000, clock = Date.now, sweepIntervalMs = 60_000, metrics } = options;
    if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) {
      throw new RangeError(`MemoryStore maxEntries must be a positive integer, got ${String(maxEntries)}`);
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

  async set(entryKey: string, value: string, expiresAt: number): Promise<void> {
    const key = compactText(entryKey);
    if (!(expiresAt > this.clock())) {
      this.entries.delete(key);
      return;
    }
    const packed = this.codec.pack(value, expiresAt);
    if (this.entries.has(key)) {
      // Overwritten in place (no hole) and marked: a write is a use.
      this.entries.set(key, this.codec.withReadMark(packed, true));
      return;
    }
    // Make room first so the map never holds more than maxEntries, even briefly.
    while (this.entries.size >= this.maxEntries) this.evictOne();
    // A key built by concatenation is a rope (an extra object per entry): held flat.
    this.entries.set(flat(key), packed);
  }

  async get(entryKey: string): Promise<string | undefined> {
    const key = compactText(entryKey);
    const entry = this.entries.get(key);
    if (entry === undefined) {
      this.metrics?.recordTokenStore('misses');
      return undefined;
    }
    if (this.codec.expiresAt(entry) <= this.clock()) {
      this.entries.delete(key);
      this.metrics?.recordTokenStore('expired');
      this.metrics?.recordTokenStore('misses');
      return undefined;
    }
    if (!this.codec.isRead(entry)) this.entries.set(key, this.codec.withReadMark(entry, true));
    this.metrics?.recordTokenStore('hits');
    return this.codec.unpack(entry);
  }

  async delete(entryKey: string): Promise<void> {
    this.entries.delete(compactText(entryKey));
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

  /**
   * Evicts one entry: the oldest that is expired or unmarked, or the one after
   * MAX_SECOND_CHANCES marked ones. Each marked entry passed on the way loses
   * its mark and goes to the end.
   */
  private evictOne(): void {
    const now = this.clock();
    let passed = 0;
    for (const [key, entry] of this.entries) {
      this.entries.delete(key);
      const expired = this.codec.expiresAt(entry) <= now;
      if (!expired && this.codec.isRead(entry) && passed++ < MAX_SECOND_CHANCES) {
        this.entries.set(key, this.codec.withReadMark(entry, false)); // its second chance
        continue;
      }
      // An expired victim was due to go anyway: count it as such, not as pressure.
      this.metrics?.recordTokenStore(expired ? 'expired' : 'evictions');
      return;
    }
  }
}
