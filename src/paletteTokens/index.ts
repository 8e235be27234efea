// `.../palette-tokens`: SpectroCloud's HS256 API token, kept server-side at
// sign-in and handed to backend plugins by the caller's verified identity.
export { createSessionTokenCache, type CreateTokenStoreOptions } from './stores/createTokenStore';
export { SessionTokenCache, type SessionTokenCacheOptions, type SpectroCloudSession, type RememberSessionInput } from './stores/sessionTokenCache';
export type { SpectroCloudTokenStore, SessionTokenLogger } from '../ttlStore/types';
export { MemoryTokenStore, type MemoryTokenStoreOptions } from '../ttlStore/memoryStore';
export { RedisTokenStore, type RedisTokenStoreOptions } from './stores/redisStore';
export type { RedisClient } from './stores/redisConnection';
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
  createSpectroCloudErrorHandler,
  type SpectroCloudTokenMiddlewareOptions,
  type SpectroCloudRequest,
  type SpectroCloudRequestContext,
} from './handoff/middleware';
export { SPECTROCLOUD_REAUTH_HEADER } from '../reauthHeader';
export {
  createPaletteApiClient,
  type PaletteApiClient,
  type PaletteApiClientOptions,
  type PaletteApiResponse,
} from './paletteApi/client';
export type { PaletteApiRequest } from './paletteApi/paletteApi';
export { seedCompatibleApi, type SeedCompatibleSessionTokenApi } from './handoff/seedCompatibleApi';
// The base class of the errors below, the same class the main entry exports.
export { SpectroCloudAuthError, type SpectroCloudErrorCode } from '../errors';
export {
  type SpectroCloudPaletteTokenErrorCode,
  SpectroCloudPaletteTokenError,
  SpectroCloudTokenStoreError,
  SpectroCloudAuthenticationError,
  SpectroCloudNotAllowedError,
  SpectroCloudReAuthRequiredError,
} from './errors';
