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
import { createSpectroCloudAuth, type SpectroCloudAuthOptions } from './SpectroCloudAuth';

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

/** The API factory type of this package's auth API. */
export type SpectroCloudAuthApiFactory = ApiFactory<
  SpectroCloudAuthApi,
  SpectroCloudAuthApi,
  { discoveryApi: DiscoveryApi; oauthRequestApi: OAuthRequestApi; configApi: ConfigApi }
>;

/**
 * API factory for one SpectroCloud provider id, e.g. a second tenant:
 * `createSpectroCloudAuthApiFactory({ apiRef: spectroCloudEuAuthApiRef, providerId: 'spectrocloud-eu' })`.
 *
 * @public
 */
export function createSpectroCloudAuthApiFactory(options: SpectroCloudAuthApiFactoryOptions = {}): SpectroCloudAuthApiFactory {
  const { apiRef = spectroCloudAuthApiRef, ...clientOptions } = options;
  return createApiFactory({
    api: apiRef,
    deps: { discoveryApi: discoveryApiRef, oauthRequestApi: oauthRequestApiRef, configApi: configApiRef },
    factory: ({ discoveryApi, oauthRequestApi, configApi }) =>
      createSpectroCloudAuth({ ...clientOptions, discoveryApi, oauthRequestApi, configApi }),
  });
}

/**
 * API factory for `packages/app/src/apis.ts` (legacy frontend system): provider
 * `spectrocloud` behind {@link spectroCloudAuthApiRef}.
 *
 * @public
 */
export const spectroCloudAuthApiFactory: SpectroCloudAuthApiFactory = createSpectroCloudAuthApiFactory();

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
 * The `SignInPage` entry of one SpectroCloud provider, e.g.
 * `createSpectroCloudSignInProvider({ apiRef: spectroCloudEuAuthApiRef, providerId: 'spectrocloud-eu', title: 'SpectroCloud EU' })`.
 *
 * @public
 */
export function createSpectroCloudSignInProvider(options: {
  apiRef: ApiRef<SpectroCloudAuthApi>;
  providerId?: string;
  title?: string;
  message?: string;
}): SpectroCloudSignInProviderConfig {
  const title = options.title ?? 'SpectroCloud';
  return {
    id: `${options.providerId ?? 'spectrocloud'}-auth-provider`,
    title,
    message: options.message ?? `Sign in using ${title}`,
    apiRef: options.apiRef,
  };
}

/**
 * Entry for the `providers` list of Backstage's `SignInPage`.
 *
 * @public
 */
export const spectroCloudSignInProvider: SpectroCloudSignInProviderConfig = createSpectroCloudSignInProvider({
  apiRef: spectroCloudAuthApiRef,
});
