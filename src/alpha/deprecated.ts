// Names of earlier versions, kept working as aliases of the one name each thing has now (issue 25; docs/upgrading.md).
import type { ExtensionDefinition, FrontendModule } from '@backstage/frontend-plugin-api';
import { createSpectroCloudSignInProvider, type SpectroCloudSignInProviderConfig } from '../frontend/factory';
import { createSpectroCloudAuthApiExtension } from './plugin';
import { createSpectroCloudSessionEndWarningModule } from './sessionEndWarning';
import { createSpectroCloudSignInPageModule } from './signInPage';

/**
 * The earlier name of createSpectroCloudAuthApiExtension, kept working.
 *
 * @alpha
 * @deprecated Use `createSpectroCloudAuthApiExtension()` (`spectroCloudAuthPlugin` already holds it).
 */
export const spectroCloudAuthApi: ExtensionDefinition = createSpectroCloudAuthApiExtension();

/**
 * The earlier name of createSpectroCloudSignInPageModule, kept working.
 *
 * @alpha
 * @deprecated Use `createSpectroCloudSignInPageModule()`.
 */
export const spectroCloudSignInPageModule: FrontendModule = createSpectroCloudSignInPageModule();

/**
 * The earlier name of createSpectroCloudSessionEndWarningModule, kept working.
 *
 * @alpha
 * @deprecated Use `createSpectroCloudSessionEndWarningModule()`.
 */
export const spectroCloudSessionEndWarningModule: FrontendModule = createSpectroCloudSessionEndWarningModule();

/**
 * The earlier name of createSpectroCloudSignInProvider, kept working.
 *
 * @public
 * @deprecated Use `createSpectroCloudSignInProvider()`.
 */
export const spectroCloudSignInProvider: SpectroCloudSignInProviderConfig = createSpectroCloudSignInProvider();
