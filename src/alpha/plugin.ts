import { ApiBlueprint, createFrontendPlugin } from '@backstage/frontend-plugin-api';
// Types through the frontend entry, so the published types of .../alpha point at the entry that exports them.
import type { SpectroCloudAuthApiFactoryOptions } from 'backstage-plugin-spectrocloud-auth-legacy/frontend';
import { createSpectroCloudAuthApiFactory, spectroCloudAuthApiFactory } from '../frontend/factory';

/**
 * The SpectroCloud auth API as an extension of the new frontend system
 * (`ApiBlueprint` of @backstage/frontend-plugin-api 0.10: `params: { factory }`).
 *
 * @alpha
 */
export const spectroCloudAuthApi = ApiBlueprint.make({
  params: { factory: spectroCloudAuthApiFactory },
});

/**
 * The auth API of another SpectroCloud provider id (a second tenant) as an
 * extension named after it (`api:spectrocloud-auth/<providerId>`); add it to
 * the app with `createFrontendModule` or your own plugin.
 *
 * @alpha
 */
export function createSpectroCloudAuthApiExtension(options: SpectroCloudAuthApiFactoryOptions & { providerId: string }) {
  return ApiBlueprint.make({
    name: options.providerId,
    params: { factory: createSpectroCloudAuthApiFactory(options) },
  });
}

/**
 * Frontend plugin that provides the SpectroCloud auth API; discovered by the
 * app when the package is installed.
 *
 * @alpha
 */
export const spectroCloudAuthPlugin = createFrontendPlugin({
  pluginId: 'spectrocloud-auth',
  extensions: [spectroCloudAuthApi],
});
