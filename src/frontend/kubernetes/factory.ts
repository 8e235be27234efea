import {
  createApiFactory,
  type ApiFactory,
  type OAuthApi,
  type OpenIdConnectApi,
  gitlabAuthApiRef,
  googleAuthApiRef,
  microsoftAuthApiRef,
  oktaAuthApiRef,
  oneloginAuthApiRef,
} from '@backstage/core-plugin-api';
import {
  KubernetesAuthProviders,
  kubernetesAuthProvidersApiRef,
  type KubernetesAuthProvidersApi,
} from '@backstage/plugin-kubernetes-react';
import { spectroCloudAuthApiRef, type SpectroCloudAuthApi } from '../apiRef';

type OidcAuthApi = OAuthApi & OpenIdConnectApi;
import { spectroCloudIdTokenSource } from './provider';

/**
 * Replaces the Kubernetes plugin's auth providers factory: the stock providers
 * (google, microsoft, and the OIDC ones gitlab, google, microsoft, okta,
 * onelogin) plus `spectrocloud`, so clusters with `authProvider: oidc` and
 * `oidcTokenProvider: spectrocloud` get the user's SpectroCloud ID token.
 *
 * @public
 */
export const spectroCloudKubernetesAuthProvidersApiFactory: ApiFactory<
  KubernetesAuthProvidersApi,
  KubernetesAuthProvidersApi,
  {
    spectroCloudAuthApi: SpectroCloudAuthApi;
    gitlabAuthApi: OidcAuthApi;
    googleAuthApi: OidcAuthApi;
    microsoftAuthApi: OidcAuthApi;
    oktaAuthApi: OidcAuthApi;
    oneloginAuthApi: OidcAuthApi;
  }
> = createApiFactory({
  api: kubernetesAuthProvidersApiRef,
  deps: {
    spectroCloudAuthApi: spectroCloudAuthApiRef,
    gitlabAuthApi: gitlabAuthApiRef,
    googleAuthApi: googleAuthApiRef,
    microsoftAuthApi: microsoftAuthApiRef,
    oktaAuthApi: oktaAuthApiRef,
    oneloginAuthApi: oneloginAuthApiRef,
  },
  factory: ({ spectroCloudAuthApi, gitlabAuthApi, googleAuthApi, microsoftAuthApi, oktaAuthApi, oneloginAuthApi }) =>
    new KubernetesAuthProviders({
      googleAuthApi,
      microsoftAuthApi,
      oidcProviders: {
        gitlab: gitlabAuthApi,
        google: googleAuthApi,
        microsoft: microsoftAuthApi,
        okta: oktaAuthApi,
        onelogin: oneloginAuthApi,
        spectrocloud: spectroCloudIdTokenSource(spectroCloudAuthApi),
      },
    }),
});
