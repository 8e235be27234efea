import { ConfigReader, type Config } from '@backstage/config';
import { SpectroCloudConfigError } from '../errors';
import { defaultProviderSessionTokenCache, type CreateTokenStoreOptions } from './createTokenStore';
import type { SessionTokenCache } from './sessionTokenCache';

/** The provider id the token-store reader's paths are written for. */
const DEFAULT_PROVIDER_ID = 'spectrocloud';
const DEFAULT_PATH = `auth.providers.${DEFAULT_PROVIDER_ID}.tokenStore`;

/** @public */
export interface CreateSessionTokenCacheOptions extends CreateTokenStoreOptions {
  /** The key the provider is registered under in `providerFactories`, e.g. `spectrocloud-eu`. Default `spectrocloud`. */
  providerId?: string;
}

/**
 * The session-token cache of one provider id, from
 * `auth.providers.<providerId>.tokenStore`: a second tenant registered as
 * `spectrocloud-eu` keeps its users' SpectroCloud tokens apart from the first
 * one's. Build one per provider id and hand each to its
 * `spectrocloud.create({ sessionTokenCache })` and to the plugins of that tenant.
 * Without `keyPrefix`, a Redis store of another provider id prefixes its keys
 * with `spectrocloud:session:<providerId>:`.
 *
 * @public
 */
export function createSessionTokenCache(config: Config, options: CreateSessionTokenCacheOptions = {}): SessionTokenCache {
  const { providerId = DEFAULT_PROVIDER_ID, ...storeOptions } = options;
  if (providerId === DEFAULT_PROVIDER_ID) return defaultProviderSessionTokenCache(config, storeOptions);
  const path = `auth.providers.${providerId}.tokenStore`;
  const block = withProviderKeyPrefix(config.getOptional(path), providerId);
  // The reader validates `auth.providers.spectrocloud.tokenStore`; it reads this provider's block there, and what it says names this provider's path.
  const rename = (text: string) => text.split(DEFAULT_PATH).join(path);
  const original = storeOptions.logger;
  const logger = original && {
    info: (message: string) => original.info(rename(message)),
    warn: (message: string) => original.warn(rename(message)),
    error: (message: string) => original.error(rename(message)),
  };
  try {
    return defaultProviderSessionTokenCache(
      new ConfigReader(block === undefined ? {} : { auth: { providers: { [DEFAULT_PROVIDER_ID]: { tokenStore: block } } } }),
      { ...storeOptions, logger },
    );
  } catch (error) {
    if (!(error instanceof SpectroCloudConfigError)) throw error;
    throw new SpectroCloudConfigError(rename(error.message), error.configKey && rename(error.configKey));
  }
}

/** Redis keys of two providers must not meet: default the prefix per provider id. */
function withProviderKeyPrefix(block: unknown, providerId: string): unknown {
  if (!isObject(block) || block.type !== 'redis' || !isObject(block.redis) || block.redis.keyPrefix !== undefined) return block;
  return { ...block, redis: { ...block.redis, keyPrefix: `spectrocloud:session:${providerId}:` } };
}

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
