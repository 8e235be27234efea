import { coreServices, createServiceFactory, createServiceRef } from '@backstage/backend-plugin-api';
import { SpectroCloudConfigError } from '../errors';
import type { BackstageCacheClient } from '../paletteTokens/stores/backstageCacheStore';
import { DEFAULT_PROVIDER_ID, tokenStoreConfigPath } from '../paletteTokens/stores/config';
import { createProviderPaletteTokenCache } from '../paletteTokens/stores/createPaletteTokenCache';
import type { PaletteTokenCache } from '../paletteTokens/stores/paletteTokenCache';
import { AuthPluginCache } from './authPluginCache';

/** The Palette-token caches of a backend, one per provider id, shared by the auth module and every plugin. */
export interface PaletteTokenCaches {
  /** The cache on `auth.providers.<providerId>.tokenStore` (memory when there is none). */
  forProvider(providerId?: string): PaletteTokenCache;
  /** The auth plugin's `coreServices.cache`, for `tokenStore.type: backstage-cache` (the module hands it over at init). */
  useAuthPluginCache(cache: BackstageCacheClient): void;
}

/**
 * Root-scoped, so the auth module that writes and the plugins that read get
 * the same cache object (a memory store is then shared in one process; Redis
 * and Backstage's cache are shared between replicas in any case). Closed at shutdown.
 */
export const paletteTokenCachesServiceRef = createServiceRef<PaletteTokenCaches>({
  id: 'spectrocloud.session-token-stores',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: { config: coreServices.rootConfig, logger: coreServices.rootLogger, lifecycle: coreServices.rootLifecycle },
      factory({ config, logger, lifecycle }) {
        const caches = new Map<string, PaletteTokenCache>();
        const authPluginCache = new AuthPluginCache();
        /** provider ids whose store is Backstage's cache */
        const onBackstageCache: string[] = [];
        lifecycle.addStartupHook(() => {
          if (authPluginCache.isHandedOver || onBackstageCache.length === 0) return;
          const path = `${tokenStoreConfigPath(onBackstageCache[0])}.type`;
          const error = new SpectroCloudConfigError(
            `${path} is 'backstage-cache', but no SpectroCloud auth module runs in this backend to share the auth plugin's cache: ` +
              "add backend.add(import('backstage-plugin-spectrocloud-auth-legacy/backend-module')) to it, or set the type to 'redis'.",
            path,
          );
          logger.error(error.message);
          authPluginCache.missing(error);
        });
        lifecycle.addShutdownHook(async () => {
          await Promise.all([...caches.values()].map(cache => cache.close()));
        });
        return {
          useAuthPluginCache(cache) {
            authPluginCache.handOver(cache);
          },
          forProvider(providerId = DEFAULT_PROVIDER_ID) {
            let cache = caches.get(providerId);
            if (!cache) {
              const providerConfig = config.getOptionalConfig(`auth.providers.${providerId}`);
              // Only for an explicit type: without a tokenStore block the new system's store stays memory.
              const wantsBackstageCache = providerConfig?.getOptionalString('tokenStore.type') === 'backstage-cache';
              if (wantsBackstageCache) onBackstageCache.push(providerId);
              cache = createProviderPaletteTokenCache(providerConfig, {
                providerId,
                logger: logger.child({ provider: providerId }),
                cache: wantsBackstageCache ? authPluginCache : undefined,
              });
              caches.set(providerId, cache);
            }
            return cache;
          },
        };
      },
    }),
});
