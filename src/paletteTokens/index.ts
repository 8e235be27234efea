export type { SpectroCloudTokenStore, SessionTokenLogger } from './types';
export {
  SpectroCloudSessionTokenError,
  SpectroCloudTokenStoreError,
  SpectroCloudTokenStoreConfigError,
  SpectroCloudAuthenticationError,
  SpectroCloudNotAllowedError,
  SpectroCloudReAuthRequiredError,
  type SpectroCloudSessionTokenErrorCode,
} from './errors';
export {
  SpectroCloudAuthMetrics,
  createAuthMetrics,
  type SpectroCloudAuthMetricsSnapshot,
  type TokenStoreEvent,
  type HandoffEvent,
} from './metrics';
export { MemoryTokenStore, type MemoryTokenStoreOptions } from './memoryStore';
export { RedisTokenStore, type RedisTokenStoreOptions } from './redisStore';
export { EncryptedTokenStore, type EncryptedTokenStoreOptions } from './encryptedStore';
export { readTokenStoreConfig, type TokenStoreConfig, type TokenStoreEncryptionConfig } from './config';
export { createTokenStore, type CreateTokenStoreOptions } from './createTokenStore';
export {
  SessionTokenCache,
  type SessionTokenCacheOptions,
  type SpectroCloudSession,
  type RememberSessionInput,
} from './sessionTokenCache';
export { isSpectroCloudSessionToken } from './sessionTokenDetection';
export {
  storeSessionToken,
  getSessionTokenByEmail,
  setDefaultSessionTokenCache,
  getDefaultSessionTokenCache,
} from './defaultCache';
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
export { sessionCookieOptions, clearSessionCookie, SESSION_COOKIE_NAME, type SessionCookieSettings } from './cookie';
