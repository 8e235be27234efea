import {
  createApiFactory,
  gitlabAuthApiRef,
  googleAuthApiRef,
  microsoftAuthApiRef,
  oktaAuthApiRef,
  oneloginAuthApiRef,
  type AnyApiRef,
  type ApiFactory,
  type ApiRef,
  type OAuthApi,
  type OpenIdConnectApi,
} from '@backstage/core-plugin-api';
import {
  KubernetesAuthProviders,
  kubernetesAuthProvidersApiRef,
  type KubernetesAuthProvidersApi,
} from '@backstage/plugin-kubernetes-react';
import { spectroCloudAuthApiRef } from '../apiRef';
import { withSpectroCloudKubernetesAuthProviders } from './withSpectroCloud';

type OidcAuthApi = OAuthApi & OpenIdConnectApi;

/**
 * Options of {@link createSpectroCloudKubernetesAuthProvidersApiFactory}.
 *
 * @public
 */
export interface SpectroCloudKubernetesAuthProvidersFactoryOptions {
  /**
   * The SpectroCloud tenants, by the clusters' `oidcTokenProvider` name and the
   * tenant's API ref. Defaults to `[{ providerName: 'spectrocloud', apiRef: spectroCloudAuthApiRef }]`.
   */
  tenants?: ReadonlyArray<{ providerName: string; apiRef: ApiRef<OpenIdConnectApi>; allowedAlgorithms?: readonly string[] }>;
  /**
   * OIDC providers the app registered beyond the Kubernetes plugin's stock
   * ones (gitlab, google, microsoft, okta, onelogin), e.g. `{ keycloak: keycloakAuthApiRef }`.
   */
  oidcProviders?: Record<string, ApiRef<OpenIdConnectApi>>;
}

/** Dependency names of the stock providers, as the Kubernetes plugin's own factory has them. */
const stockDeps = {
  gitlabAuthApi: gitlabAuthApiRef,
  googleAuthApi: googleAuthApiRef,
  microsoftAuthApi: microsoftAuthApiRef,
  oktaAuthApi: oktaAuthApiRef,
  oneloginAuthApi: oneloginAuthApiRef,
};

/** `spectroCloudAuthApi` for the default tenant keeps the dependency name of earlier versions. */
const tenantDep = (providerName: string) =>
  providerName === 'spectrocloud' ? 'spectroCloudAuthApi' : `spectroCloudAuthApi.${providerName}`;
const oidcDep = (name: string) => `oidcProvider.${name}`;

/**
 * The Kubernetes plugin's auth providers factory with SpectroCloud added: the
 * stock providers the plugin registers (google, aks, serviceAccount... and the
 * OIDC providers gitlab, google, microsoft, okta, onelogin), the app's extra
 * OIDC providers, and one `oidc.<providerName>` per SpectroCloud tenant that
 * hands clusters the user's RS256 ID token. Called without options: the stock
 * providers plus `oidc.spectrocloud`. One name for the default and every
 * option, like `createSpectroCloudAuthApiFactory` of `.../frontend`.
 *
 * @public
 */
export function createSpectroCloudKubernetesAuthProvidersApiFactory(
  options: SpectroCloudKubernetesAuthProvidersFactoryOptions = {},
): ApiFactory<KubernetesAuthProvidersApi, KubernetesAuthProvidersApi, Record<string, unknown>> {
  const tenants = options.tenants ?? [{ providerName: 'spectrocloud', apiRef: spectroCloudAuthApiRef }];
  const extra = Object.entries(options.oidcProviders ?? {});
  const deps: Record<string, AnyApiRef> = { ...stockDeps };
  for (const tenant of tenants) deps[tenantDep(tenant.providerName)] = tenant.apiRef;
  for (const [name, apiRef] of extra) deps[oidcDep(name)] = apiRef;

  return createApiFactory({
    api: kubernetesAuthProvidersApiRef,
    deps,
    factory: apis => {
      const stock = apis as Record<keyof typeof stockDeps, OidcAuthApi>;
      const base = new KubernetesAuthProviders({
        googleAuthApi: stock.googleAuthApi,
        microsoftAuthApi: stock.microsoftAuthApi,
        oidcProviders: {
          gitlab: stock.gitlabAuthApi,
          google: stock.googleAuthApi,
          microsoft: stock.microsoftAuthApi,
          okta: stock.oktaAuthApi,
          onelogin: stock.oneloginAuthApi,
          ...Object.fromEntries(extra.map(([name]) => [name, apis[oidcDep(name)] as OpenIdConnectApi])),
        },
      });
      return withSpectroCloudKubernetesAuthProviders(
        base,
        tenants.map(tenant => ({
          providerName: tenant.providerName,
          authApi: apis[tenantDep(tenant.providerName)] as OpenIdConnectApi,
          allowedAlgorithms: tenant.allowedAlgorithms,
        })),
      );
    },
  });
}
