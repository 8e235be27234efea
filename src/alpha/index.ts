export {
  createSpectroCloudAuthApiExtension,
  spectroCloudAuthApi,
  spectroCloudAuthPlugin,
  spectroCloudAuthPlugin as default,
} from './plugin';
export {
  createSpectroCloudSignInPageModule,
  spectroCloudSignInPageModule,
  type SpectroCloudSignInPageOptions,
} from './signInPage';
import type { ApiRef } from '@backstage/core-plugin-api';
// The type through the frontend entry, so the published types of .../alpha point at the entry that exports it.
import type { SpectroCloudAuthApi, SpectroCloudSignInProviderConfig } from 'backstage-plugin-spectrocloud-auth-legacy/frontend';
import { spectroCloudAuthApiRef as frontendApiRef } from '../frontend/apiRef';
import { spectroCloudSignInProvider as frontendSignInProvider } from '../frontend/factory';

/**
 * The same ref as `.../frontend`'s, for apps on the new frontend system.
 *
 * @public
 */
export const spectroCloudAuthApiRef: ApiRef<SpectroCloudAuthApi> = frontendApiRef;

/**
 * The same sign-in page entry as `.../frontend`'s, for apps on the new frontend system.
 *
 * @public
 */
export const spectroCloudSignInProvider: SpectroCloudSignInProviderConfig = frontendSignInProvider;
export { createSpectroCloudSessionEndWarningModule, spectroCloudSessionEndWarningModule } from './sessionEndWarning';
