// `.../palette-tokens`: SpectroCloud's HS256 API token, kept server-side at
// sign-in and handed to backend plugins by the caller's verified identity.
export { createSessionTokenCache, type CreateTokenStoreOptions } from './stores/createTokenStore';
export { SessionTokenCache, type SessionTokenCacheOptions, type SpectroCloudSession, type RememberSessionInput } from './stores/sessionTokenCache';
export type { SpectroCloudTokenStore, SessionTokenLogger } from '../ttlStore/types';
export { MemoryTokenStore, type MemoryTokenStoreOptions } from '../ttlStore/memoryStore';
export { RedisTokenStore, type RedisTokenStoreOptions } from './stores/redisStore';
export { EncryptedTokenStore, type EncryptedTokenStoreOptions } from './stores/encryptedStore';
export {
  BackstageCacheTokenStore,
  type BackstageCache,
  type BackstageCacheClient,
  type BackstageCacheTokenStoreOptions,
} from './stores/backstageCacheStore';
export type { RedisConnectionConfig, RedisEndpoint, RedisTlsConfig } from './stores/config';
export {
  getSpectroCloudToken,
  type LegacyIdentityVerifier,
  type VerifiedBackstageIdentity,
  type SpectroCloudTokenHandoffOptions,
  type SpectroCloudTokenGrant,
} from './handoff/handoff';
export {
  createSpectroCloudTokenMiddleware,
  REAUTH_REQUIRED_HEADER,
  type SpectroCloudTokenMiddlewareOptions,
  type SpectroCloudRequest,
  type SpectroCloudRequestContext,
} from './handoff/middleware';
export { seedCompatibleApi, type SeedCompatibleSessionTokenApi } from './handoff/seedCompatibleApi';
export {
  SpectroCloudPaletteTokenError,
  SpectroCloudTokenStoreError,
  SpectroCloudAuthenticationError,
  SpectroCloudNotAllowedError,
  SpectroCloudReAuthRequiredError,
} from './errors';
