import {
  configApiRef,
  createApiFactory,
  discoveryApiRef,
  oauthRequestApiRef,
  type ApiFactory,
  type ApiRef,
  type ConfigApi,
  type DiscoveryApi,
  type OAuthRequestApi,
} from '@backstage/core-plugin-api';
import { spectroCloudAuthApiRef, type SpectroCloudAuthApi } from './apiRef';
import { SpectroCloudAuth, type SpectroCloudAuthOptions } from './SpectroCloudAuth';

/**
 * Options of {@link createSpectroCloudAuthApiFactory}: which API ref to provide
 * and which backend provider id (tenant) it signs in with.
 *
 * @public
 */
export interface SpectroCloudAuthApiFactoryOptions
  extends Omit<SpectroCloudAuthOptions, 'discoveryApi' | 'oauthRequestApi' | 'configApi'> {
  /** Defaults to {@link spectroCloudAuthApiRef}; a second tenant passes its own. */
  apiRef?: ApiRef<SpectroCloudAuthApi>;
}

/**
 * The API factory type of this package's auth API.
 *
 * @public
 */
export type SpectroCloudAuthApiFactory = ApiFactory<
  SpectroCloudAuthApi,
  SpectroCloudAuthApi,
  { discoveryApi: DiscoveryApi; oauthRequestApi: OAuthRequestApi; configApi: ConfigApi }
>;

/**
 * The API factory of the SpectroCloud auth API, for `packages/app/src/apis.ts`
 * (legacy frontend system): `createSpectroCloudAuthApiFactory()` is provider
 * `spectrocloud` behind {@link spectroCloudAuthApiRef}; a second tenant passes
 * its own, e.g. `createSpectroCloudAuthApiFactory({ apiRef: spectroCloudEuAuthApiRef, providerId: 'spectrocloud-eu' })`.
 * One name for the default and every tenant, named like Backstage's
 * `createApiFactory` that it wraps (a constant for the default was a second name for the same call).
 *
 * @public
 */
export function createSpectroCloudAuthApiFactory(options: SpectroCloudAuthApiFactoryOptions = {}): SpectroCloudAuthApiFactory {
  const { apiRef = spectroCloudAuthApiRef, ...clientOptions } = options;
  return createApiFactory({
    api: apiRef,
    deps: { discoveryApi: discoveryApiRef, oauthRequestApi: oauthRequestApiRef, configApi: configApiRef },
    factory: ({ discoveryApi, oauthRequestApi, configApi }) =>
      SpectroCloudAuth.create({ ...clientOptions, discoveryApi, oauthRequestApi, configApi }),
  });
}

/**
 * An entry for the `providers` list of Backstage's `SignInPage`.
 *
 * @public
 */
export interface SpectroCloudSignInProviderConfig {
  id: string;
  title: string;
  message: string;
  apiRef: ApiRef<SpectroCloudAuthApi>;
}

/**
 * Options of {@link createSpectroCloudSignInProvider}.
 *
 * @public
 */
export interface SpectroCloudSignInProviderOptions {
  /** Defaults to {@link spectroCloudAuthApiRef}; a second tenant passes its own. */
  apiRef?: ApiRef<SpectroCloudAuthApi>;
  /** Defaults to `spectrocloud`; the entry's id is `<providerId>-auth-provider`. */
  providerId?: string;
  /** Defaults to `SpectroCloud`. */
  title?: string;
  /** Defaults to `Sign in using <title>`. */
  message?: string;
}

/**
 * The entry of one SpectroCloud provider for the `providers` list of
 * Backstage's `SignInPage`: `createSpectroCloudSignInProvider()` is provider
 * `spectrocloud` behind {@link spectroCloudAuthApiRef}; a second tenant passes
 * its own, e.g. `createSpectroCloudSignInProvider({ apiRef: spectroCloudEuAuthApiRef, providerId: 'spectrocloud-eu', title: 'SpectroCloud EU' })`.
 * One name for the default and every tenant, as for {@link createSpectroCloudAuthApiFactory}.
 *
 * @public
 */
export function createSpectroCloudSignInProvider(options: SpectroCloudSignInProviderOptions = {}): SpectroCloudSignInProviderConfig {
  const title = options.title ?? 'SpectroCloud';
  return {
    id: `${options.providerId ?? 'spectrocloud'}-auth-provider`,
    title,
    message: options.message ?? `Sign in using ${title}`,
    apiRef: options.apiRef ?? spectroCloudAuthApiRef,
  };
}
