import { coreServices, createServiceFactory, createServiceRef } from '@backstage/backend-plugin-api';
import { withTokenStoreAtRoot, DEFAULT_PROVIDER_ID } from '../paletteTokens/stores/config';
import { createSessionTokenCache } from '../paletteTokens/stores/createTokenStore';
import type { SessionTokenCache } from '../paletteTokens/stores/sessionTokenCache';

/** The session-token caches of a backend, one per provider id, shared by the auth module and every plugin. */
export interface SpectroCloudSessionTokenStores {
  /** The cache on `auth.providers.<providerId>.tokenStore` (memory when there is none). */
  forProvider(providerId?: string): SessionTokenCache;
}

/**
 * Root-scoped, so the auth module that writes and the plugins that read get
 * the same cache object (a memory store is then shared in one process; Redis
 * is shared between replicas in any case). Closed at shutdown.
 */
export const sessionTokenStoresServiceRef = createServiceRef<SpectroCloudSessionTokenStores>({
  id: 'spectrocloud.session-token-stores',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: { config: coreServices.rootConfig, logger: coreServices.rootLogger, lifecycle: coreServices.rootLifecycle },
      factory({ config, logger, lifecycle }) {
        const caches = new Map<string, SessionTokenCache>();
        lifecycle.addShutdownHook(async () => {
          await Promise.all([...caches.values()].map(cache => cache.close()));
        });
        return {
          forProvider(providerId = DEFAULT_PROVIDER_ID) {
            let cache = caches.get(providerId);
            if (!cache) {
              const providerConfig = config.getOptionalConfig(`auth.providers.${providerId}`);
              const at = providerConfig ? withTokenStoreAtRoot(providerConfig, providerId) : undefined;
              cache = createSessionTokenCache(at, { providerId, logger: logger.child({ provider: providerId }) });
              caches.set(providerId, cache);
            }
            return cache;
          },
        };
      },
    }),
});
