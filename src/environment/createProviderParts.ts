import type { Config } from '@backstage/config';
import { readEnvironmentConfig, type SpectroCloudEnvironmentConfig } from '../config/readEnvironmentConfig';
import { SpectroCloudConfigError } from '../errors';
import type { SpectroCloudAuthMetrics } from '../metrics';
import { createPaletteTokenCapture, type PaletteTokenCapture } from '../paletteTokens/capture/capture';
import type { BackstageCache } from '../paletteTokens/stores/backstageCacheStore';
import { readPaletteTokenCookie } from '../paletteTokens/stores/config';
import { createProviderPaletteTokenCache } from '../paletteTokens/stores/createPaletteTokenCache';
import { PendingStoreWrites } from '../ttlStore/pendingWrites';
import type { PaletteTokenCache } from '../paletteTokens/stores/paletteTokenCache';
import { RevokedSessions } from '../refreshSession/RevokedSessions';
import type { SpectroCloudLogger } from '../logger';
import type { SpectroCloudStore } from '../ttlStore/types';

/** Keys of `auth.providers.<id>` that are settings, not environments. */
const PROVIDER_LEVEL_KEYS = ['tokenStore'];

export interface ProviderPartsInput {
  providerId: string;
  /** `auth.providers.<providerId>` */
  config: Config;
  /** true when the backend is served over https */
  secure: boolean;
  logger: SpectroCloudLogger;
  metrics: SpectroCloudAuthMetrics;
  /** the Palette-token cache shared with backend plugins; default one of the provider's own on its `tokenStore` */
  paletteTokenCache?: PaletteTokenCache;
  /** Backstage's cache, for `tokenStore.type: backstage-cache` */
  cache?: BackstageCache;
  paletteTokens?: PaletteTokenCapture;
  /** the `spectrocloud-api-token` cookie's path; default the provider's plugin path */
  paletteTokenCookiePath?: string;
}

/** What every environment of one provider id shares: the token store, the capture and the sign-out record. */
export interface ProviderParts {
  environments: string[];
  paletteTokenCache: PaletteTokenCache;
  paletteTokens: PaletteTokenCapture;
  revokedSessions: RevokedSessions;
  /** where concurrent refreshes of one session meet: the same store, so replicas sharing it present a refresh token once */
  refreshGrantStore: SpectroCloudStore;
}

export function createProviderParts(input: ProviderPartsInput): ProviderParts {
  const { providerId, config, logger, metrics } = input;
  const environments = config.keys().filter(key => !PROVIDER_LEVEL_KEYS.includes(key));
  if (environments.length === 0) {
    throw new SpectroCloudConfigError(
      `'auth.providers.${providerId}' has no environment block. Add one named after auth.environment, e.g. 'auth.providers.${providerId}.development' with clientId, clientSecret and authorizationUrl.`,
      `auth.providers.${providerId}`,
    );
  }
  const paletteTokenCache =
    input.paletteTokenCache ?? createProviderPaletteTokenCache(config, { providerId, logger, metrics, cache: input.cache });
  const paletteTokens =
    input.paletteTokens ??
    createPaletteTokenCapture({
      cache: paletteTokenCache,
      secure: input.secure,
      cookiePath: input.paletteTokenCookiePath ?? defaultPaletteTokenCookiePath(providerId),
      paletteTokenCookie: readPaletteTokenCookie(config.getOptional('tokenStore'), providerId),
      logger,
      pendingWrites: new PendingStoreWrites({ what: 'Palette token', logger, metrics }),
    });
  // Sign-outs go to the same store as the Palette tokens, so every replica sharing it refuses the ended session.
  const revokedSessions = new RevokedSessions(
    paletteTokenCache.store,
    new PendingStoreWrites({ what: 'SpectroCloud sign-out', logger, metrics }),
  );
  return { environments, paletteTokenCache, paletteTokens, revokedSessions, refreshGrantStore: paletteTokenCache.store };
}

/** One environment block, validated; errors name `auth.providers.<id>.<env>.<key>`. */
export function readEnvironment(
  providerConfig: Config,
  input: { providerId: string; environment: string; authBaseUrl: string },
): { envConfig: Config; path: string; settings: SpectroCloudEnvironmentConfig } {
  const envConfig = providerConfig.getConfig(input.environment);
  const path = `auth.providers.${input.providerId}.${input.environment}`;
  return { envConfig, path, settings: readEnvironmentConfig(envConfig, { path, authBaseUrl: input.authBaseUrl, providerId: input.providerId }) };
}

/** `/api/spectrocloud` for the default provider id; a second tenant's cookie goes to its own plugin path. */
export function defaultPaletteTokenCookiePath(providerId: string): string {
  return providerId === 'spectrocloud' ? '/api/spectrocloud' : `/api/${providerId}`;
}
