import { createFrontendPlugin, type ExtensionDefinition, type FrontendPlugin } from '@backstage/frontend-plugin-api';
// Types through the frontend entry, so the published types of .../alpha point at the entry that exports them.
import type { SpectroCloudAuthApiFactoryOptions } from 'backstage-plugin-spectrocloud-auth-legacy/frontend';
import { createSpectroCloudAuthApiFactory, spectroCloudAuthApiFactory } from '../frontend/factory';
import { apiExtension } from './apiExtension';

/**
 * The SpectroCloud auth API (`api:spectrocloud-auth`, providing
 * `spectroCloudAuthApiRef`) as an extension of the new frontend system.
 *
 * @alpha
 */
export const spectroCloudAuthApi: ExtensionDefinition = apiExtension(spectroCloudAuthApiFactory);

/**
 * The auth API of another SpectroCloud provider id (a second tenant) as an
 * extension named after it (`api:spectrocloud-auth/<providerId>`); add it to
 * the app with `createFrontendModule({ pluginId: 'spectrocloud-auth', extensions: [...] })`.
 *
 * @alpha
 */
export function createSpectroCloudAuthApiExtension(
  options: SpectroCloudAuthApiFactoryOptions & { providerId: string },
): ExtensionDefinition {
  return apiExtension(createSpectroCloudAuthApiFactory(options), options.providerId);
}

/**
 * Frontend plugin that provides the SpectroCloud auth API. The app adds it to
 * `createApp({ features })` itself: this package is also a backend module
 * (`backstage.role` says so), and the CLI's discovery (`app.packages: all`)
 * only takes packages whose role is a frontend one, so it is never discovered.
 *
 * @alpha
 */
export const spectroCloudAuthPlugin: FrontendPlugin = createFrontendPlugin({
  pluginId: 'spectrocloud-auth',
  extensions: [spectroCloudAuthApi],
}) as FrontendPlugin;
