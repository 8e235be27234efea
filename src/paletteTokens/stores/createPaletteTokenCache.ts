import type { Config } from '@backstage/config';
import { SpectroCloudConfigError } from '../../errors';
import type { SpectroCloudLogger } from '../../logger';
import { MemoryStore } from '../../ttlStore/memoryStore';
import type { SpectroCloudStore } from '../../ttlStore/types';
import { paletteApiFromConfig } from '../paletteApi/paletteApiFromConfig';
import { PaletteTokenRenewal } from '../paletteApi/renewal';
import { BackstageCacheStore } from './backstageCacheStore';
import { readTokenStoreBlock, tokenStoreConfigPath, type TokenStoreConfig } from './config';
import { EncryptedStore } from './encryptedStore';
import { PaletteTokenCache } from './paletteTokenCache';
import { RedisStore } from './redisStore';

/** What {@link createPaletteTokenCache} takes besides the config. */
export type CreatePaletteTokenCacheOptions = NonNullable<Parameters<typeof createPaletteTokenCache>[1]>;

/**
 * The Palette-token cache on the store `auth.providers.<providerId>.tokenStore`
 * configures (one per provider id: a second tenant keeps its users' tokens apart).
 * Build it once from the backend's whole config, pass it to
 * `spectrocloud.create({ paletteTokenCache })` and to your backend plugins'
 * middleware, and close it at shutdown.
 *
 * The memory store gets an e-mail index of its own with the same bound, so
 * `maxEntries` counts users; shared stores keep the index beside the entries.
 * Why public: every backend that hands Palette tokens to plugins builds one.
 *
 * @public
 */
export function createPaletteTokenCache(
  config: Config | undefined,
  options: {
    logger?: SpectroCloudLogger;
    /** Counts the events of the stores it builds and of renewals (SpectroCloudAuthMetrics implements it). */
    metrics?: {
      recordTokenStore(event: 'hits' | 'misses' | 'expired' | 'evictions' | 'errors' | 'undecryptable', count?: number): void;
      recordHandoff(event: 'renewed' | 'renewalRefused' | 'renewalFailed'): void;
    };
    /**
     * Backstage's cache: a legacy backend's `PluginEnvironment.cache` (backend-common's
     * `PluginCacheManager`), or a cache client (its `CacheClient`, backend-plugin-api's
     * `CacheService`; `ttl` in milliseconds). Used when `tokenStore.type` is
     * `backstage-cache`, and by default when there is no `tokenStore` block at all.
     */
    cache?:
      | { get(key: string): Promise<unknown>; set(key: string, value: string, options?: { ttl?: number }): Promise<void>; delete(key: string): Promise<void> }
      | { getClient(): { get(key: string): Promise<unknown>; set(key: string, value: string, options?: { ttl?: number }): Promise<void>; delete(key: string): Promise<void> } };
    /**
     * The key the provider is registered under in `providerFactories`, e.g.
     * `spectrocloud-eu`: its store is read from `auth.providers.<providerId>.tokenStore`,
     * and a Redis store of another provider id prefixes its keys with
     * `spectrocloud:session:<providerId>:`. Default `spectrocloud`.
     */
    providerId?: string;
    /**
     * Palette's API for renewing Palette tokens and for the Palette API client.
     * Default: the origin of the provider's `authorizationUrl` (in the
     * `auth.environment` block), reached with that block's timeout, proxy and CA.
     */
    paletteApiUrl?: string;
    /** Epoch-milliseconds clock of the stores and the renewal. Default `Date.now`; tests move one. */
    clock?: () => number;
  } = {},
): PaletteTokenCache {
  const block = config?.getOptional(tokenStoreConfigPath(options.providerId));
  return createPaletteTokenCacheOnBlock(block, options, paletteApiFromConfig(config, options));
}

/**
 * The cache of one provider, from its own `auth.providers.<providerId>` block
 * (as a provider factory receives it): its `tokenStore` block, and no Palette
 * API (the provider's block alone does not say which environment is in use).
 */
export function createProviderPaletteTokenCache(providerConfig: Config | undefined, options: CreatePaletteTokenCacheOptions = {}): PaletteTokenCache {
  return createPaletteTokenCacheOnBlock(providerConfig?.getOptional('tokenStore'), options, undefined);
}

/**
 * Builds the store a `tokenStore` block asks for (memory by default), wrapped
 * in {@link EncryptedStore} when an `encryptionKey` is set. Throws a config
 * error at startup rather than failing at first sign-in.
 */
export function createStoreOnBlock(block: unknown, options: CreatePaletteTokenCacheOptions = {}): SpectroCloudStore {
  return encrypted(readSettings(block, options), options);
}

/** The same for the backend's whole config: `auth.providers.<providerId>.tokenStore`. */
export function createTokenStore(config: Config | undefined, options: CreatePaletteTokenCacheOptions = {}): SpectroCloudStore {
  return createStoreOnBlock(config?.getOptional(tokenStoreConfigPath(options.providerId)), options);
}

function createPaletteTokenCacheOnBlock(
  block: unknown,
  options: CreatePaletteTokenCacheOptions,
  palette: ReturnType<typeof paletteApiFromConfig>,
): PaletteTokenCache {
  const settings = readSettings(block, options);
  const store = encrypted(settings, options);
  const { clock, metrics, logger } = options;
  // Pointers hold an entity ref, never a token: no need to encrypt them in process memory.
  const index = settings.store.type === 'memory' ? new MemoryStore({ maxEntries: settings.store.maxEntries, clock }) : undefined;
  if (!palette) return new PaletteTokenCache({ store, index, clock });
  const renew = settings.store.renewPaletteTokens !== false;
  return new PaletteTokenCache({ store, index, clock }, cache => ({
    api: palette.api,
    renewal: renew
      ? new PaletteTokenRenewal({
          api: palette.api,
          read: ref => cache.storedForUser(ref),
          write: input => cache.remember(input),
          forget: input => cache.forget(input),
          lockStore: store,
          lockMs: palette.lockMs,
          clock,
          metrics,
          logger,
        })
      : undefined,
  }));
}

interface Settings {
  store: TokenStoreConfig;
  /** where the settings came from, named in messages */
  path: string;
}

function readSettings(block: unknown, options: CreatePaletteTokenCacheOptions): Settings {
  return {
    store: readTokenStoreBlock(block, { backstageCacheAvailable: options.cache !== undefined, providerId: options.providerId }),
    path: tokenStoreConfigPath(options.providerId),
  };
}

function buildStore({ store: settings, path }: Settings, options: CreatePaletteTokenCacheOptions): SpectroCloudStore {
  const { logger, metrics } = options;
  const isEncrypted = settings.encryptionKey !== undefined;
  if (settings.type === 'redis') {
    const store = new RedisStore({ client: settings.redis, metrics, logger, clock: options.clock });
    // Never log the URL or the nodes: they may carry a password and are internal addresses.
    const kind = settings.redis.cluster ? 'a Redis Cluster' : settings.redis.sentinels ? 'Redis behind Sentinel' : 'Redis';
    logger?.info(`Palette tokens are kept in ${kind}${isEncrypted ? ', encrypted' : ''}`);
    if (!isEncrypted) warnUnencrypted(logger, 'Redis', path);
    return store;
  }
  if (settings.type === 'backstage-cache') {
    if (!options.cache) {
      throw new SpectroCloudConfigError(
        `${path}.type is 'backstage-cache' but no cache was handed over: pass the backend's cache, ` +
          'e.g. spectrocloud.create({ cache: env.cache }) and createPaletteTokenCache(config, { cache: env.cache }), ' +
          "or set the type to 'memory' or 'redis'.",
        `${path}.type`,
      );
    }
    logger?.info(`Palette tokens are kept in Backstage's cache (backend.cache)${isEncrypted ? ', encrypted' : ''}`);
    if (!isEncrypted) warnUnencrypted(logger, "Backstage's cache", path);
    return new BackstageCacheStore({ cache: options.cache, metrics });
  }
  logger?.info(
    'Palette tokens are kept in this process only: they are lost on restart and not shared between replicas. ' +
      `Set ${path}.type to 'redis' or 'backstage-cache' for either.`,
  );
  return new MemoryStore({ maxEntries: settings.maxEntries, metrics, clock: options.clock });
}

function encrypted(settings: Settings, options: CreatePaletteTokenCacheOptions): SpectroCloudStore {
  const store = buildStore(settings, options);
  const { encryptionKey, previousEncryptionKeys } = settings.store;
  return encryptionKey === undefined
    ? store
    : new EncryptedStore(store, encryptionKey, { previousKeys: previousEncryptionKeys, metrics: options.metrics });
}

function warnUnencrypted(logger: SpectroCloudLogger | undefined, where: string, path: string): void {
  logger?.warn(
    `Palette tokens are stored in ${where} unencrypted; set ${path}.encryptionKey (openssl rand -base64 32)`,
  );
}
