import { ApiBlueprint, createFrontendPlugin } from '@backstage/frontend-plugin-api';
import { spectroCloudAuthApiFactory } from '../frontend/factory';

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
 * Frontend plugin that provides the SpectroCloud auth API; discovered by the
 * app when the package is installed.
 *
 * @alpha
 */
export const spectroCloudAuthPlugin = createFrontendPlugin({
  pluginId: 'spectrocloud-auth',
  extensions: [spectroCloudAuthApi],
});
