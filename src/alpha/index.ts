import type { ApiRef } from '@backstage/core-plugin-api';
import { spectroCloudAuthApiRef as frontendApiRef, type SpectroCloudAuthApi } from '../frontend/apiRef';
import {
  createSpectroCloudSignInProvider as frontendSignInProvider,
  type SpectroCloudSignInProviderConfig,
  type SpectroCloudSignInProviderOptions,
} from '../frontend/factory';

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
