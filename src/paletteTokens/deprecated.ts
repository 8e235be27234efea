// The names `.../palette-tokens` exported before issue 25, kept so that nothing a
// user imports disappears. Each says what to use instead (docs/upgrading.md, "Names from issue 25").
import type { Request } from 'express';
import { seedCompatibleApi } from './handoff/seedCompatibleApi';
import { MemoryStore, type MemoryStoreOptions } from '../ttlStore/memoryStore';
import type { PaletteApiClient } from './paletteApi/client';
import { getPaletteToken, type PaletteTokenGrant, type PaletteTokenHandoffOptions } from './handoff/handoff';
import { createPaletteTokenMiddleware } from './handoff/middleware';
import { BackstageCacheStore, type BackstageCache as Cache, type BackstageCacheClient as CacheClient, type BackstageCacheStoreOptions } from './stores/backstageCacheStore';
import { createPaletteTokenCache, type CreatePaletteTokenCacheOptions } from './stores/createPaletteTokenCache';
import { EncryptedStore, type EncryptedStoreOptions } from './stores/encryptedStore';
import { PaletteTokenCache, type PaletteTokenRecord } from './stores/paletteTokenCache';
import { RedisStore, type RedisStoreOptions } from './stores/redisStore';
import type { RedisClient as Client } from './stores/redisConnection';
import type { RedisConnectionConfig as Connection, RedisEndpoint as Endpoint, RedisTlsConfig as Tls } from './stores/config';

/** @deprecated Use {@link createPaletteTokenCache}. @public */
export const createSessionTokenCache = createPaletteTokenCache;
/** @deprecated Use the options of {@link createPaletteTokenCache}. @public */
export type CreateTokenStoreOptions = CreatePaletteTokenCacheOptions;
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

/** @deprecated Use {@link createPaletteTokenCache} with `tokenStore.type: memory`, or implement `SpectroCloudStore`. @public */
export const MemoryTokenStore = MemoryStore;
/** @deprecated Use `SpectroCloudStore`. @public */
export type MemoryTokenStore = MemoryStore;
/** @deprecated Configure `tokenStore.maxEntries` instead. @public */
export type MemoryTokenStoreOptions = MemoryStoreOptions;
/** @deprecated Use {@link createPaletteTokenCache} with `tokenStore.type: redis`. @public */
export const RedisTokenStore = RedisStore;
/** @deprecated Use `SpectroCloudStore`. @public */
export type RedisTokenStore = RedisStore;
/** @deprecated Configure `tokenStore.redis` instead. @public */
export type RedisTokenStoreOptions = RedisStoreOptions;
/** @deprecated Configure `tokenStore.redis` instead. @public */
export type RedisClient = Client;
/** @deprecated Configure `tokenStore.redis` instead. @public */
export type RedisConnectionConfig = Connection;
/** @deprecated Configure `tokenStore.redis` instead. @public */
export type RedisEndpoint = Endpoint;
/** @deprecated Configure `tokenStore.redis.tls` instead. @public */
export type RedisTlsConfig = Tls;
/** @deprecated Use {@link createPaletteTokenCache} with `tokenStore.encryptionKey`. @public */
export const EncryptedTokenStore = EncryptedStore;
/** @deprecated Use `SpectroCloudStore`. @public */
export type EncryptedTokenStore = EncryptedStore;
/** @deprecated Configure `tokenStore.previousEncryptionKeys` instead. @public */
export type EncryptedTokenStoreOptions = EncryptedStoreOptions;
/** @deprecated Use {@link createPaletteTokenCache} with `tokenStore.type: backstage-cache` and its `cache` option. @public */
export const BackstageCacheTokenStore = BackstageCacheStore;
/** @deprecated Use `SpectroCloudStore`. @public */
export type BackstageCacheTokenStore = BackstageCacheStore;
/** @deprecated Use the `cache` option of {@link createPaletteTokenCache}. @public */
export type BackstageCacheTokenStoreOptions = BackstageCacheStoreOptions;
/** @deprecated Use the `cache` option of {@link createPaletteTokenCache}. @public */
export type BackstageCache = Cache;
/** @deprecated Use the `cache` option of {@link createPaletteTokenCache}. @public */
export type BackstageCacheClient = CacheClient;

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
