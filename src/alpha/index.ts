import type { ApiRef } from '@backstage/core-plugin-api';
// The type through the frontend entry, so the published types of .../alpha point at the entry that exports it.
import type {
  SpectroCloudAuthApi,
  SpectroCloudSignInProviderConfig,
  SpectroCloudSignInProviderOptions,
} from 'backstage-plugin-spectrocloud-auth-legacy/frontend';
import { spectroCloudAuthApiRef as frontendApiRef } from '../frontend/apiRef';
import { createSpectroCloudSignInProvider as frontendSignInProvider } from '../frontend/factory';

export {
  createSpectroCloudAuthApiExtension,
  spectroCloudAuthPlugin,
  spectroCloudAuthPlugin as default,
} from './plugin';
export { createSpectroCloudSignInPageModule, type SpectroCloudSignInPageOptions } from './signInPage';
export { createSpectroCloudSessionEndWarningModule } from './sessionEndWarning';

/**
 * The same ref as `.../frontend`'s, for apps on the new frontend system.
 *
 * @public
 */
export const spectroCloudAuthApiRef: ApiRef<SpectroCloudAuthApi> = frontendApiRef;

/**
 * The same function as `.../frontend`'s, for the `providers` option of
 * `createSpectroCloudSignInPageModule`, e.g. `['guest', createSpectroCloudSignInProvider()]`.
 *
 * @public
 */
export const createSpectroCloudSignInProvider: (options?: SpectroCloudSignInProviderOptions) => SpectroCloudSignInProviderConfig =
  frontendSignInProvider;

// Earlier names, each an alias of the one above (docs/upgrading.md, "Names from issue 25").
export {
  spectroCloudAuthApi,
  spectroCloudSessionEndWarningModule,
  spectroCloudSignInPageModule,
  spectroCloudSignInProvider,
} from './deprecated';
