import { createFrontendPlugin, type ExtensionDefinition, type FrontendPlugin } from '@backstage/frontend-plugin-api';
import { createSpectroCloudAuthApiFactory, type SpectroCloudAuthApiFactoryOptions } from '../frontend/factory';
import { apiExtension } from './apiExtension';

/**
 * The SpectroCloud auth API as an extension of the new frontend system: without
 * options `api:spectrocloud-auth`, providing `spectroCloudAuthApiRef` (the one
 * {@link spectroCloudAuthPlugin} holds); with a `providerId`, that provider's
 * API (a second tenant) as an extension named after it
 * (`api:spectrocloud-auth/<providerId>`), to add with
 * `createFrontendModule({ pluginId: 'spectrocloud-auth', extensions: [...] })`.
 * One name for the default and every tenant, as `createSpectroCloudAuthApiFactory` has.
 *
 * @alpha
 */
export function createSpectroCloudAuthApiExtension(options: SpectroCloudAuthApiFactoryOptions = {}): ExtensionDefinition {
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
  extensions: [createSpectroCloudAuthApiExtension()],
}) as FrontendPlugin;
