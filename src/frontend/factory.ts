import { configApiRef, createApiFactory, discoveryApiRef, oauthRequestApiRef } from '@backstage/core-plugin-api';
import { spectroCloudAuthApiRef } from './apiRef';
import { createSpectroCloudAuth } from './SpectroCloudAuth';

/**
 * API factory for `packages/app/src/apis.ts` (legacy frontend system).
 *
 * @public
 */
export const spectroCloudAuthApiFactory = createApiFactory({
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
