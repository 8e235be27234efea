import { createHash } from 'node:crypto';
// Named through the main entry, so the published types of .../palette-tokens point there.
import { SpectroCloudTokenStoreError, describeConnectionFailure, sanitizeCause } from '../errors';
import type { SpectroCloudStore } from '../../ttlStore/types';

/**
 * The slice of Backstage's cache client this store uses: backend-common's
 * `CacheClient` (what `PluginEnvironment.cache.getClient()` returns in a
 * legacy backend) and backend-plugin-api's `CacheService` both fit. `ttl` is
 * in milliseconds.
 */
export interface BackstageCacheClient {
  get(key: string): Promise<unknown>;
  set(key: string, value: string, options?: { ttl?: number }): Promise<void>;
  delete(key: string): Promise<void>;
}

/**
 * A legacy backend's `PluginEnvironment.cache` (backend-common's
 * `PluginCacheManager`), or a cache client itself.
 */
export type BackstageCache = BackstageCacheClient | { getClient(): BackstageCacheClient };

export interface BackstageCacheStoreOptions {
  cache: BackstageCache;
  /** Prepended to every (hashed) key. Default `spectrocloud:session:`. */
  keyPrefix?: string;
  /** Counts the events this store emits (SpectroCloudAuthMetrics implements it). */
  metrics?: { recordTokenStore(event: 'hits' | 'misses' | 'errors'): void };
  /** Epoch-milliseconds clock used to turn `expiresAt` into a TTL. Default `Date.now`. */
  clock?: () => number;
  /** Longest any operation may take before it fails as unavailable. Default 2000 ms. */
  timeoutMs?: number;
}

/**
 * Palette tokens in Backstage's own cache (`backend.cache`: memory, Redis or
 * memcache), so a deployment that already runs one needs no second Redis.
 *
 * Keys are SHA-256 hashes (Backstage's client only base64-encodes keys, which
 * anyone can read back); each entry's TTL is the time left until `expiresAt`.
 * Wrap it in {@link EncryptedStore} (config `encryptionKey`) to keep the
 * values encrypted in the shared cache.
 *
 * Every call is bounded by `timeoutMs`: Backstage's Redis client queues
 * commands while Redis is away, and a sign-in must not wait on that. Failures
 * reject with {@link SpectroCloudTokenStoreError} (`ERR_TOKEN_STORE_UNAVAILABLE`)
 * without naming any host or port.
 */
export class BackstageCacheStore implements SpectroCloudStore {
  private readonly client: BackstageCacheClient;
  private readonly keyPrefix: string;
  private readonly metrics?: BackstageCacheStoreOptions['metrics'];
  private readonly clock: () => number;
  private readonly timeoutMs: number;

  constructor(options: BackstageCacheStoreOptions) {
    const { cache } = options;
    this.client = 'getClient' in cache ? cache.getClient() : cache;
    this.keyPrefix = options.keyPrefix ?? 'spectrocloud:session:';
    this.metrics = options.metrics;
    this.clock = options.clock ?? Date.now;
    this.timeoutMs = options.timeoutMs ?? 2_000;
  }

  async set(key: string, token: string, expiresAt: number): Promise<void> {
    const cacheKey = this.cacheKey(key);
    // Floor: rounding up would keep the entry past expiresAt.
    const ttl = Math.floor(expiresAt - this.clock());
    await this.run('store', () => (ttl >= 1 ? this.client.set(cacheKey, token, { ttl }) : this.client.delete(cacheKey)));
  }

  async get(key: string): Promise<string | undefined> {
    const cacheKey = this.cacheKey(key);
    const value = await this.run('read', () => this.client.get(cacheKey));
    // Anything but a string was not written by this store: a miss.
    const found = typeof value === 'string' ? value : undefined;
    this.metrics?.recordTokenStore(found === undefined ? 'misses' : 'hits');
    return found;
  }

  async delete(key: string): Promise<void> {
    const cacheKey = this.cacheKey(key);
    await this.run('delete', () => this.client.delete(cacheKey));
  }

  /** The cache belongs to the backend: nothing to close here. */
  async close(): Promise<void> {}

  private cacheKey(key: string): string {
    return this.keyPrefix + createHash('sha256').update(key, 'utf8').digest('hex');
  }

  private async run<T>(operation: 'store' | 'read' | 'delete', command: () => Promise<T>): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const pending = Promise.resolve().then(command);
    pending.catch(() => undefined); // a late failure after the deadline is dropped, not left unhandled
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
      timer.unref?.();
    });
    try {
      return await Promise.race([pending, deadline]);
    } catch (error) {
      this.metrics?.recordTokenStore('errors');
      throw new SpectroCloudTokenStoreError(
        `Cannot ${operation} a Palette token: Backstage's cache is unavailable (${describeConnectionFailure(error)}). ` +
          'Check the store backend.cache points to.',
        { cause: sanitizeCause(error) },
      );
    } finally {
      clearTimeout(timer);
    }
  }
}
