import {
  configApiRef,
  createApiFactory,
  discoveryApiRef,
  oauthRequestApiRef,
  type ApiFactory,
  type ConfigApi,
  type DiscoveryApi,
  type OAuthRequestApi,
} from '@backstage/core-plugin-api';
import { spectroCloudAuthApiRef, type SpectroCloudAuthApi } from './apiRef';
import { createSpectroCloudAuth } from './SpectroCloudAuth';

/**
 * API factory for `packages/app/src/apis.ts` (legacy frontend system).
 *
 * @public
 */
export const spectroCloudAuthApiFactory: ApiFactory<
  SpectroCloudAuthApi,
  SpectroCloudAuthApi,
  { discoveryApi: DiscoveryApi; oauthRequestApi: OAuthRequestApi; configApi: ConfigApi }
> = createApiFactory({
  api: spectroCloudAuthApiRef,
  deps: { discoveryApi: discoveryApiRef, oauthRequestApi: oauthRequestApiRef, configApi: configApiRef },
  factory: ({ discoveryApi, oauthRequestApi, configApi }) =>
    createSpectroCloudAuth({ discoveryApi, oauthRequestApi, configApi }),
});

/**
 * Entry for the `providers` list of Backstage's `SignInPage`.
 *
 * @public
 */
export const spectroCloudSignInProvider = {
  id: 'spectrocloud-auth-provider',
  title: 'SpectroCloud',
  message: 'Sign in using SpectroCloud',
  apiRef: spectroCloudAuthApiRef,
};
