import type { Config } from '@backstage/config';
import { SpectroCloudConfigError } from '../../errors';
// Named through the main entry, so the published types of .../palette-tokens point there.
import { BackstageCacheTokenStore, type BackstageCache } from './backstageCacheStore';
import { readTokenStoreConfig, tokenStoreConfigPath, type TokenStoreConfig } from './config';
import { EncryptedTokenStore } from './encryptedStore';
import { MemoryTokenStore } from '../../ttlStore/memoryStore';
import { RedisTokenStore } from './redisStore';
import { SessionTokenCache } from './sessionTokenCache';
import { PaletteSessionTokenCache } from '../paletteApi/paletteSessionTokenCache';
import { paletteApiFromConfig } from '../paletteApi/paletteApiFromConfig';
import type { SessionTokenLogger, SpectroCloudTokenStore } from '../../ttlStore/types';

/** @public */
export interface CreateTokenStoreOptions {
  logger?: SessionTokenLogger;
  /** Counts the events of the stores it builds and of renewals (SpectroCloudAuthMetrics implements it). */
  metrics?: {
    recordTokenStore(event: 'hits' | 'misses' | 'expired' | 'evictions' | 'errors' | 'undecryptable', count?: number): void;
    recordHandoff(event: 'renewed' | 'renewalRefused' | 'renewalFailed'): void;
  };
  /**
   * Backstage's cache: a legacy backend's `PluginEnvironment.cache` (or a
   * cache client). Used when `tokenStore.type` is `backstage-cache`, and by
   * default when there is no `tokenStore` block at all.
   */
  cache?: BackstageCache;
  /**
   * The key the provider is registered under in `providerFactories`, e.g.
   * `spectrocloud-eu`: its store is read from `auth.providers.<providerId>.tokenStore`,
   * and a Redis store of another provider id prefixes its keys with
   * `spectrocloud:session:<providerId>:`. Default `spectrocloud`.
   */
  providerId?: string;
  /**
   * Palette's API for renewing session tokens and for the Palette API client.
   * Default: the origin of the provider's `authorizationUrl` (in the
   * `auth.environment` block), reached with that block's timeout, proxy and CA.
   */
  paletteApiUrl?: string;
  /** Epoch-milliseconds clock of the stores and the renewal. Default `Date.now`; tests move one. */
  clock?: () => number;
}

/**
 * Builds the store `auth.providers.spectrocloud.tokenStore` asks for (memory by
 * default), wrapped in {@link EncryptedTokenStore} when an `encryptionKey` is
 * set. Throws a config error at startup rather than failing at first sign-in.
 *
 * @internal
 */
export function createTokenStore(config: Config | undefined, options: CreateTokenStoreOptions = {}): SpectroCloudTokenStore {
  return encrypted(readSettings(config, options), options);
}

/**
 * The session-token cache on the store `auth.providers.<providerId>.tokenStore`
 * configures (one per provider id: a second tenant keeps its users' tokens apart).
 * Build it once, pass it to `spectrocloud.create({ sessionTokenCache })` and to
 * your backend plugins' middleware, and close it at shutdown.
 *
 * The memory store gets an e-mail index of its own with the same bound, so
 * `maxEntries` counts users; shared stores keep the index beside the entries.
 *
 * @public
 */
export function createSessionTokenCache(config: Config | undefined, options: CreateTokenStoreOptions = {}): SessionTokenCache {
  const settings = readSettings(config, options);
  const store = encrypted(settings, options);
  const { clock } = options;
  // Pointers hold an entity ref, never a token: no need to encrypt them in process memory.
  const index = settings.store.type === 'memory' ? new MemoryTokenStore({ maxEntries: settings.store.maxEntries, clock }) : undefined;
  const palette = paletteApiFromConfig(config, options);
  if (!palette) return new SessionTokenCache({ store, index, clock });
  return new PaletteSessionTokenCache({
    store,
    index,
    clock,
    palette: palette.api,
    renew: settings.store.renewSessionTokens !== false,
    lockMs: palette.lockMs,
    metrics: options.metrics,
    logger: options.logger,
  });
}

interface Settings {
  store: TokenStoreConfig;
  /** where the settings came from, named in messages */
  path: string;
}

function readSettings(config: Config | undefined, options: CreateTokenStoreOptions): Settings {
  return {
    store: readTokenStoreConfig(config, { backstageCacheAvailable: options.cache !== undefined, providerId: options.providerId }),
    path: tokenStoreConfigPath(options.providerId),
  };
}

function buildStore({ store: settings, path }: Settings, options: CreateTokenStoreOptions): SpectroCloudTokenStore {
  const { logger, metrics } = options;
  const isEncrypted = settings.encryptionKey !== undefined;
  if (settings.type === 'redis') {
    const store = new RedisTokenStore({ client: settings.redis, metrics, logger, clock: options.clock });
    // Never log the URL or the nodes: they may carry a password and are internal addresses.
    const kind = settings.redis.cluster ? 'a Redis Cluster' : settings.redis.sentinels ? 'Redis behind Sentinel' : 'Redis';
    logger?.info(`SpectroCloud session tokens are kept in ${kind}${isEncrypted ? ', encrypted' : ''}`);
    if (!isEncrypted) warnUnencrypted(logger, 'Redis', path);
    return store;
  }
  if (settings.type === 'backstage-cache') {
    if (!options.cache) {
      throw new SpectroCloudConfigError(
        `${path}.type is 'backstage-cache' but no cache was handed over: pass the backend's cache, ` +
          'e.g. spectrocloud.create({ cache: env.cache }) and createSessionTokenCache(config, { cache: env.cache }), ' +
          "or set the type to 'memory' or 'redis'.",
        `${path}.type`,
      );
    }
    logger?.info(`SpectroCloud session tokens are kept in Backstage's cache (backend.cache)${isEncrypted ? ', encrypted' : ''}`);
    if (!isEncrypted) warnUnencrypted(logger, "Backstage's cache", path);
    return new BackstageCacheTokenStore({ cache: options.cache, metrics });
  }
  logger?.info(
    'SpectroCloud session tokens are kept in this process only: they are lost on restart and not shared between replicas. ' +
      `Set ${path}.type to 'redis' or 'backstage-cache' for either.`,
  );
  return new MemoryTokenStore({ maxEntries: settings.maxEntries, metrics, clock: options.clock });
}

function encrypted(settings: Settings, options: CreateTokenStoreOptions): SpectroCloudTokenStore {
  const store = buildStore(settings, options);
  const { encryptionKey, previousEncryptionKeys } = settings.store;
  return encryptionKey === undefined
    ? store
    : new EncryptedTokenStore(store, encryptionKey, { previousKeys: previousEncryptionKeys, metrics: options.metrics });
}

function warnUnencrypted(logger: SessionTokenLogger | undefined, where: string, path: string): void {
  logger?.warn(
    `SpectroCloud session tokens are stored in ${where} unencrypted; set ${path}.encryptionKey (openssl rand -base64 32)`,
  );
}
