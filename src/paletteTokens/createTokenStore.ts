import type { Config } from '@backstage/config';
import { readTokenStoreConfig } from './config';
import { EncryptedTokenStore } from './encryptedStore';
import { MemoryTokenStore } from './memoryStore';
import type { SpectroCloudAuthMetrics } from '../metrics';
import { RedisTokenStore } from './redisStore';
import { SessionTokenCache } from './sessionTokenCache';
import type { SessionTokenLogger, SpectroCloudTokenStore } from './types';

/** @public */
export interface CreateTokenStoreOptions {
  logger?: SessionTokenLogger;
  metrics?: SpectroCloudAuthMetrics;
}

/**
 * Builds the store `auth.providers.spectrocloud.tokenStore` asks for (memory by
 * default), wrapped in {@link EncryptedTokenStore} when an `encryptionKey` is
 * set. Throws a config error at startup rather than failing at first sign-in.
 *
 * @public
 */
export function createTokenStore(config: Config | undefined, options: CreateTokenStoreOptions = {}): SpectroCloudTokenStore {
  const { logger, metrics } = options;
  const settings = readTokenStoreConfig(config);
  const encrypted = settings.encryptionKey !== undefined;

  let store: SpectroCloudTokenStore;
  if (settings.type === 'redis') {
    store = new RedisTokenStore({ client: settings.redis.url, keyPrefix: settings.redis.keyPrefix, metrics, logger });
    // Never log the URL: it may carry a password.
    logger?.info(`SpectroCloud session tokens are kept in Redis${encrypted ? ', encrypted' : ''}`);
    if (!encrypted) {
      logger?.warn(
        'SpectroCloud session tokens are stored in Redis unencrypted; set auth.providers.spectrocloud.tokenStore.encryptionKey (openssl rand -base64 32)',
      );
    }
  } else {
    store = new MemoryTokenStore({ maxEntries: settings.maxEntries, metrics });
    logger?.info(
      'SpectroCloud session tokens are kept in this process only: they are lost on restart and not shared between replicas. ' +
        "Set auth.providers.spectrocloud.tokenStore.type to 'redis' for either.",
    );
  }

  const { encryptionKey, previousEncryptionKeys } = settings;
  return encryptionKey === undefined
    ? store
    : new EncryptedTokenStore(store, encryptionKey, { previousKeys: previousEncryptionKeys, metrics });
}

/**
 * The session-token cache on the store `auth.providers.spectrocloud.tokenStore`
 * configures. Build it once, pass it to `spectrocloud.create({ sessionTokenCache })`
 * and to your backend plugins' middleware, and close it at shutdown.
 *
 * @public
 */
export function createSessionTokenCache(config: Config | undefined, options: CreateTokenStoreOptions = {}): SessionTokenCache {
  return new SessionTokenCache({ store: createTokenStore(config, options) });
}
