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
export { spectroCloudSignInProvider } from '../frontend/factory';
import type { ApiRef } from '@backstage/core-plugin-api';
// The type through the frontend entry, so the published types of .../alpha point at the entry that exports it.
import type { SpectroCloudAuthApi } from 'backstage-plugin-spectrocloud-auth-legacy/frontend';
import { spectroCloudAuthApiRef as frontendApiRef } from '../frontend/apiRef';

/**
 * The same ref as `.../frontend`'s, for apps on the new frontend system.
 *
 * @public
 */
export const spectroCloudAuthApiRef: ApiRef<SpectroCloudAuthApi> = frontendApiRef;
