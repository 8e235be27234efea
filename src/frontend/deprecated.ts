// Names of earlier versions, kept working as aliases of the one name each thing has now (issue 25; docs/upgrading.md).
import type { SpectroCloudReAuthenticationApi } from './apiRef';
import { createSpectroCloudAuthApiFactory, createSpectroCloudSignInProvider, type SpectroCloudAuthApiFactory, type SpectroCloudSignInProviderConfig } from './factory';
import type { SpectroCloudReAuthFetchMiddlewareOptions } from './reauth';
import { SpectroCloudAuth, type SpectroCloudAuthOptions } from './SpectroCloudAuth';
import type { SpectroCloudAuthApi } from './apiRef';

/**
 * @public
 * @deprecated Use `SpectroCloudAuth.create`.
 */
export function createSpectroCloudAuth(options: SpectroCloudAuthOptions): SpectroCloudAuthApi {
  return SpectroCloudAuth.create(options);
}

/**
 * @public
 * @deprecated Use `createSpectroCloudAuthApiFactory()`.
 */
export const spectroCloudAuthApiFactory: SpectroCloudAuthApiFactory = createSpectroCloudAuthApiFactory();

/**
 * @public
 * @deprecated Use `createSpectroCloudSignInProvider()`.
 */
export const spectroCloudSignInProvider: SpectroCloudSignInProviderConfig = createSpectroCloudSignInProvider();

/**
 * @public
 * @deprecated Use `SpectroCloudReAuthenticationApi`.
 */
export type SpectroCloudReAuthApi = SpectroCloudReAuthenticationApi;

/**
 * @public
 * @deprecated Use `SpectroCloudReAuthFetchMiddlewareOptions`.
 */
export type SpectroCloudReAuthOptions = SpectroCloudReAuthFetchMiddlewareOptions;
