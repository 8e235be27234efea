import { coreServices, createBackendModule } from '@backstage/backend-plugin-api';
import { authProvidersExtensionPoint } from '@backstage/plugin-auth-node';
import { paletteTokenCachesServiceRef } from '../sessionTokenService/storesService';
import { spectroCloudAuthMetricsServiceRef } from './metricsService';
import { createSpectroCloudModuleProvider } from './providerFactory';

/** The provider id the app's `spectroCloudAuthApiRef` talks to: `/api/auth/spectrocloud/...`. */
const PROVIDER_ID = 'spectrocloud';

/**
 * The module, with the clock injectable (tests move time; users take the
 * default export, which has no options: everything comes from config).
 */
export function createSpectroCloudAuthModule(options: { clock?: () => number } = {}) {
  return createBackendModule({
    pluginId: 'auth',
    moduleId: 'spectrocloud-provider',
    register(reg) {
      reg.registerInit({
        deps: {
          providers: authProvidersExtensionPoint,
          stores: paletteTokenCachesServiceRef,
          cache: coreServices.cache,
          metrics: spectroCloudAuthMetricsServiceRef,
        },
        async init({ providers, stores, cache, metrics }) {
          // The auth plugin's cache (backend.cache), for `tokenStore.type: backstage-cache`: plugins read it through the service.
          stores.useAuthPluginCache(cache);
          providers.registerProvider({
            providerId: PROVIDER_ID,
            factory: createSpectroCloudModuleProvider({
              // Readable through spectroCloudAuthMetricsServiceRef (`.../backend-module`).
              metrics,
              paletteTokenCache: stores.forProvider(PROVIDER_ID),
              clock: options.clock,
            }),
          });
        },
      });
    },
  });
}

/**
 * The SpectroCloud provider for the new backend system's auth plugin, read
 * from the same `auth.providers.spectrocloud` config as the legacy integration.
 *
 * @public
 */
export const authModuleSpectroCloudProvider = createSpectroCloudAuthModule();
