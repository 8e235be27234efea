// `.../palette-tokens`: SpectroCloud's HS256 API token, kept server-side at
// sign-in and handed to backend plugins by the caller's verified identity.
export { createSessionTokenCache, type CreateTokenStoreOptions } from './createTokenStore';
export { SessionTokenCache, type SessionTokenCacheOptions, type SpectroCloudSession, type RememberSessionInput } from './sessionTokenCache';
export type { SpectroCloudTokenStore, SessionTokenLogger } from './types';
export { MemoryTokenStore, type MemoryTokenStoreOptions } from './memoryStore';
export { RedisTokenStore, type RedisTokenStoreOptions } from './redisStore';
export { EncryptedTokenStore, type EncryptedTokenStoreOptions } from './encryptedStore';
export {
  BackstageCacheTokenStore,
  type BackstageCache,
  type BackstageCacheClient,
  type BackstageCacheTokenStoreOptions,
} from './backstageCacheStore';
export type { RedisConnectionConfig, RedisEndpoint, RedisTlsConfig } from './config';
export {
  getSpectroCloudToken,
  type LegacyIdentityVerifier,
  type VerifiedBackstageIdentity,
  type SpectroCloudTokenHandoffOptions,
  type SpectroCloudTokenGrant,
} from './handoff';
export {
  createSpectroCloudTokenMiddleware,
  REAUTH_REQUIRED_HEADER,
  type SpectroCloudTokenMiddlewareOptions,
  type SpectroCloudRequest,
  type SpectroCloudRequestContext,
} from './middleware';
export { seedCompatibleApi, type SeedCompatibleSessionTokenApi } from './seedCompatibleApi';
export {
  SpectroCloudPaletteTokenError,
  SpectroCloudTokenStoreError,
  SpectroCloudAuthenticationError,
  SpectroCloudNotAllowedError,
  SpectroCloudReAuthRequiredError,
} from './errors';
