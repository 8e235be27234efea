// The names `.../palette-tokens` exported before issue 25, kept so that nothing a
// user imports disappears. Each says what to use instead (docs/upgrading.md, "Names from issue 25").
import type { Request } from 'express';
import { seedCompatibleApi } from './handoff/seedCompatibleApi';
import type { PaletteApiClient } from './paletteApi/client';
import { getPaletteToken, type PaletteTokenGrant, type PaletteTokenHandoffOptions } from './handoff/handoff';
import { createPaletteTokenMiddleware } from './handoff/middleware';
import { createPaletteTokenCache } from './stores/createPaletteTokenCache';
import { PaletteTokenCache, type PaletteTokenRecord } from './stores/paletteTokenCache';

/** @deprecated Use {@link createPaletteTokenCache}. @public */
export const createSessionTokenCache = createPaletteTokenCache;
/** @deprecated Use the options of {@link createPaletteTokenCache}. @public */
export type CreateTokenStoreOptions = NonNullable<Parameters<typeof createPaletteTokenCache>[1]>;
/** @deprecated Use {@link PaletteTokenCache}. @public */
export const SessionTokenCache = PaletteTokenCache;
/** @deprecated Use {@link PaletteTokenCache}. @public */
export type SessionTokenCache = PaletteTokenCache;
/** @deprecated Use the constructor options of {@link PaletteTokenCache}. @public */
export type SessionTokenCacheOptions = ConstructorParameters<typeof PaletteTokenCache>[0];
/** @deprecated Use {@link PaletteTokenRecord}. @public */
export type SpectroCloudSession = PaletteTokenRecord;
/** @deprecated Use the input of {@link PaletteTokenCache.remember}. @public */
export type RememberSessionInput = Parameters<PaletteTokenCache['remember']>[0];

// The store classes and the types of their options, written out over names this entry exports.
export {
  MemoryTokenStore,
  type MemoryTokenStoreOptions,
  RedisTokenStore,
  type RedisTokenStoreOptions,
  type RedisClient,
  type RedisConnectionConfig,
  type RedisEndpoint,
  type RedisTlsConfig,
  EncryptedTokenStore,
  type EncryptedTokenStoreOptions,
  BackstageCacheTokenStore,
  type BackstageCacheTokenStoreOptions,
  type BackstageCache,
  type BackstageCacheClient,
} from './deprecatedStores';

/** @deprecated Use {@link getPaletteToken}. @public */
export const getSpectroCloudToken = getPaletteToken;
/** @deprecated Use {@link PaletteTokenHandoffOptions}. @public */
export type SpectroCloudTokenHandoffOptions = PaletteTokenHandoffOptions;
/** @deprecated Use {@link PaletteTokenGrant}. @public */
export type SpectroCloudTokenGrant = PaletteTokenGrant;
/** @deprecated Use `PaletteTokenHandoffOptions['identity']`. @public */
export type LegacyIdentityVerifier = PaletteTokenHandoffOptions['identity'];
/** @deprecated Use `{ identity: { userEntityRef: string } }`. @public */
export type VerifiedBackstageIdentity = { identity: { userEntityRef: string } };
/** @deprecated Use {@link createPaletteTokenMiddleware}. @public */
export const createSpectroCloudTokenMiddleware = createPaletteTokenMiddleware;
/** @deprecated Use {@link PaletteTokenHandoffOptions}. @public */
export type SpectroCloudTokenMiddlewareOptions = PaletteTokenHandoffOptions;
/** @deprecated Use {@link PaletteTokenGrant}. @public */
export type SpectroCloudRequestContext = PaletteTokenGrant;
/** @deprecated Use `Request & { spectroCloud?: PaletteTokenGrant }`. @public */
export type SpectroCloudRequest = Request & { spectroCloud?: PaletteTokenGrant };
/** @deprecated Use {@link PaletteTokenHandoffOptions}. @public */
export type PaletteApiClientOptions = PaletteTokenHandoffOptions;
/** @deprecated Use the third parameter of `PaletteApiClient.request`. @public */
export type PaletteApiRequest = NonNullable<Parameters<PaletteApiClient['request']>[2]>;
/** @deprecated Use the result of `PaletteApiClient.request`. @public */
export type PaletteApiResponse = Awaited<ReturnType<PaletteApiClient['request']>>;
/** @deprecated Use the result of `seedCompatibleApi`. @public */
export type SeedCompatibleSessionTokenApi = ReturnType<typeof seedCompatibleApi>;
