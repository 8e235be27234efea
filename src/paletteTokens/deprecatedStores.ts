// The store classes `.../palette-tokens` exported before issue 25, and the types of their options, kept so that
// nothing a user imports disappears (docs/upgrading.md, "Names from issue 25"). Each constructor is the real store
// class; its options and instance are written out here, as released, over names the entry exports, so that a
// reader of the API can name every type a deprecated name reaches. `ReleasedStoreShapes` below ties each written-out
// type to the store's own, so the two cannot drift.
import type { Cluster, Redis } from 'ioredis';
import type { SpectroCloudLogger } from '../logger';
import { MemoryStore, type MemoryStoreOptions } from '../ttlStore/memoryStore';
import type { SpectroCloudStore } from '../ttlStore/types';
import {
  BackstageCacheStore,
  type BackstageCache as StoreCache,
  type BackstageCacheClient as StoreCacheClient,
  type BackstageCacheStoreOptions,
} from './stores/backstageCacheStore';
import type { RedisConnectionConfig as StoreConnection, RedisEndpoint as StoreEndpoint, RedisTlsConfig as StoreTls } from './stores/config';
import type { CreatePaletteTokenCacheOptions } from './stores/createPaletteTokenCache';
import { EncryptedStore, type EncryptedStoreOptions } from './stores/encryptedStore';
import type { RedisClient as StoreClient } from './stores/redisConnection';
import { RedisStore, type RedisStoreOptions } from './stores/redisStore';

/** @deprecated Configure `tokenStore.maxEntries` instead. @public */
export interface MemoryTokenStoreOptions {
  /** Upper bound on stored entries. Default 10 000. */
  maxEntries?: number;
  /** Epoch-milliseconds clock. Default `Date.now`. */
  clock?: () => number;
  /** How often expired entries are swept out; 0 disables the sweep. Default 60 000 ms. */
  sweepIntervalMs?: number;
  metrics?: { recordTokenStore(event: 'hits' | 'misses' | 'expired' | 'evictions', count?: number): void };
}
/** @deprecated Use `SpectroCloudStore`. @public */
export interface MemoryTokenStore extends SpectroCloudStore {
  /** Number of entries held right now, expired ones not yet purged included. */
  readonly size: number;
  /** Removes expired entries now; returns how many. */
  purgeExpired(): number;
}
/** @deprecated Use `createPaletteTokenCache` with `tokenStore.type: memory`, or implement `SpectroCloudStore`. @public */
export const MemoryTokenStore: new (options?: MemoryTokenStoreOptions) => MemoryTokenStore = MemoryStore;

/** @deprecated Configure `tokenStore.redis` instead. @public */
export type RedisClient = Redis | Cluster;
/** @deprecated Configure `tokenStore.redis` instead. @public */
export interface RedisEndpoint {
  host: string;
  port: number;
}
/** @deprecated Configure `tokenStore.redis.tls` instead. @public */
export type RedisTlsConfig = true | { ca?: string; servername?: string };
/** @deprecated Configure `tokenStore.redis` instead. @public */
export interface RedisConnectionConfig {
  url?: string;
  sentinels?: RedisEndpoint[];
  /** The master group name the sentinels monitor. */
  name?: string;
  cluster?: { nodes: RedisEndpoint[] };
  username?: string;
  password?: string;
  sentinelUsername?: string;
  sentinelPassword?: string;
  db?: number;
  tls?: RedisTlsConfig;
  /** Replicas that must acknowledge each write (Redis `WAIT`). Default 1 with `sentinels`, else 0. */
  waitForReplicas?: number;
  keyPrefix?: string;
}
/** @deprecated Configure `tokenStore.redis` instead. @public */
export interface RedisTokenStoreOptions {
  /** An ioredis client (stays yours: `close()` does not disconnect it), a `redis://` URL, or a connection config. */
  client?: RedisClient | string | RedisConnectionConfig;
  /** Prepended to every key. Default `spectrocloud:session:`. */
  keyPrefix?: string;
  metrics?: { recordTokenStore(event: 'hits' | 'misses' | 'errors'): void };
  logger?: SpectroCloudLogger;
  /** Epoch-milliseconds clock. Default `Date.now`. */
  clock?: () => number;
  /** Longest any operation may take, connecting included. Default 2000 ms. */
  timeoutMs?: number;
}
/** @deprecated Use `SpectroCloudStore`. @public */
export interface RedisTokenStore extends SpectroCloudStore {
  claim(key: string, expiresAt: number): Promise<boolean>;
}
/** @deprecated Use `createPaletteTokenCache` with `tokenStore.type: redis`. @public */
export const RedisTokenStore: new (options?: RedisTokenStoreOptions) => RedisTokenStore = RedisStore;

/** @deprecated Configure `tokenStore.previousEncryptionKeys` instead. @public */
export interface EncryptedTokenStoreOptions {
  /** Retired keys, tried for decryption only. */
  previousKeys?: Array<string | Buffer>;
  metrics?: { recordTokenStore(event: 'undecryptable'): void };
}
/** @deprecated Use `SpectroCloudStore`. @public */
export type EncryptedTokenStore = SpectroCloudStore;
/** @deprecated Use `createPaletteTokenCache` with `tokenStore.encryptionKey`. @public */
export const EncryptedTokenStore: new (inner: SpectroCloudStore, key: string | Buffer, options?: EncryptedTokenStoreOptions) => EncryptedTokenStore =
  EncryptedStore;

/** @deprecated Use the `cache` option of `createPaletteTokenCache`. @public */
export interface BackstageCacheClient {
  get(key: string): Promise<unknown>;
  set(key: string, value: string, options?: { ttl?: number }): Promise<void>;
  delete(key: string): Promise<void>;
}
/** @deprecated Use the `cache` option of `createPaletteTokenCache`. @public */
export type BackstageCache = BackstageCacheClient | { getClient(): BackstageCacheClient };
/** @deprecated Use the `cache` option of `createPaletteTokenCache`. @public */
export interface BackstageCacheTokenStoreOptions {
  cache: BackstageCache;
  /** Prepended to every (hashed) key. Default `spectrocloud:session:`. */
  keyPrefix?: string;
  metrics?: { recordTokenStore(event: 'hits' | 'misses' | 'errors'): void };
  /** Epoch-milliseconds clock. Default `Date.now`. */
  clock?: () => number;
  /** Longest any operation may take. Default 2000 ms. */
  timeoutMs?: number;
}
/** @deprecated Use `SpectroCloudStore`. @public */
export type BackstageCacheTokenStore = SpectroCloudStore;
/** @deprecated Use `createPaletteTokenCache` with `tokenStore.type: backstage-cache` and its `cache` option. @public */
export const BackstageCacheTokenStore: new (options: BackstageCacheTokenStoreOptions) => BackstageCacheTokenStore = BackstageCacheStore;

/** True only when A and B are the same type, optional members included (mutual assignability would let an extra optional member through). */
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Check<T extends true> = T;

/**
 * Compile-time only: the build (tsup's declarations, so `pnpm test`) and `tsc` fail when a released shape above and
 * the store's own type part ways (a constructor's parameters included), so a deprecated name keeps accepting exactly
 * what the store takes. Exported only so that `noUnusedLocals` keeps it; no entry re-exports it (deprecated.ts lists
 * the names above).
 */
export type ReleasedStoreShapes = [
  Check<Same<MemoryTokenStoreOptions, MemoryStoreOptions>>,
  Check<Same<ConstructorParameters<typeof MemoryTokenStore>, ConstructorParameters<typeof MemoryStore>>>,
  Check<Same<RedisClient, StoreClient>>,
  Check<Same<RedisEndpoint, StoreEndpoint>>,
  Check<Same<RedisTlsConfig, StoreTls>>,
  Check<Same<RedisConnectionConfig, StoreConnection>>,
  Check<Same<RedisTokenStoreOptions, RedisStoreOptions>>,
  Check<Same<ConstructorParameters<typeof RedisTokenStore>, ConstructorParameters<typeof RedisStore>>>,
  Check<Same<EncryptedTokenStoreOptions, EncryptedStoreOptions>>,
  Check<Same<ConstructorParameters<typeof EncryptedTokenStore>, ConstructorParameters<typeof EncryptedStore>>>,
  Check<Same<BackstageCacheClient, StoreCacheClient>>,
  Check<Same<BackstageCache, StoreCache>>,
  // The cache the current factory takes is the one the deprecated Backstage cache store took.
  Check<Same<BackstageCache, NonNullable<CreatePaletteTokenCacheOptions['cache']>>>,
  Check<Same<BackstageCacheTokenStoreOptions, BackstageCacheStoreOptions>>,
  Check<Same<ConstructorParameters<typeof BackstageCacheTokenStore>, ConstructorParameters<typeof BackstageCacheStore>>>,
];
