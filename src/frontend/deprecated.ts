// Names of earlier versions, kept working as aliases of the one name each thing has now (issue 25; docs/upgrading.md).
import type { SpectroCloudReAuthenticationApi } from './apiRef';
import { createSpectroCloudAuthApiFactory, createSpectroCloudSignInProvider, type SpectroCloudAuthApiFactory, type SpectroCloudSignInProviderConfig } from './factory';
import type { SpectroCloudReAuthFetchMiddlewareOptions } from './reauth';
import { SpectroCloudAuth, type SpectroCloudAuthOptions } from './SpectroCloudAuth';
import type { SpectroCloudAuthApi } from './apiRef';

/**
 * The earlier name of SpectroCloudAuth.create, kept working.
 *
 * @public
 * @deprecated Use `SpectroCloudAuth.create`.
 */
export function createSpectroCloudAuth(options: SpectroCloudAuthOptions): SpectroCloudAuthApi {
  return SpectroCloudAuth.create(options);
}

/**
 * The earlier name of createSpectroCloudAuthApiFactory, kept working.
 *
 * @public
 * @deprecated Use `createSpectroCloudAuthApiFactory()`.
 */
export const spectroCloudAuthApiFactory: SpectroCloudAuthApiFactory = createSpectroCloudAuthApiFactory();

/**
 * The earlier name of createSpectroCloudSignInProvider, kept working.
 *
 * @public
 * @deprecated Use `createSpectroCloudSignInProvider()`.
 */
export const spectroCloudSignInProvider: SpectroCloudSignInProviderConfig = createSpectroCloudSignInProvider();

/**
 * The earlier name of SpectroCloudReAuthenticationApi, kept working.
 *
 * @public
 * @deprecated Use `SpectroCloudReAuthenticationApi`.
 */
export type SpectroCloudReAuthApi = SpectroCloudReAuthenticationApi;

/**
 * The earlier name of SpectroCloudReAuthFetchMiddlewareOptions, kept working.
 *
 * @public
 * @deprecated Use `SpectroCloudReAuthFetchMiddlewareOptions`.
 */
export type SpectroCloudReAuthOptions = SpectroCloudReAuthFetchMiddlewareOptions;
