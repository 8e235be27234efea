import type { OpenIdConnectApi } from '@backstage/core-plugin-api';
import type { KubernetesAuthProvider, KubernetesAuthProvidersApi } from '@backstage/plugin-kubernetes-react';
import { createSpectroCloudKubernetesAuthProvider } from './provider';

/**
 * One SpectroCloud tenant as a Kubernetes OIDC token provider.
 *
 * @public
 */
export interface SpectroCloudKubernetesTenant {
  /** The clusters' `oidcTokenProvider`, e.g. `spectrocloud` or `spectrocloud-eu`. */
  providerName: string;
  /** That tenant's auth API (the one behind its API ref). */
  authApi: OpenIdConnectApi;
  /** JWT algorithms accepted for the ID token; defaults to `['RS256']`. */
  allowedAlgorithms?: readonly string[];
}

/**
 * Adds SpectroCloud tenants to the app's Kubernetes auth providers: clusters
 * with `oidcTokenProvider: <providerName>` get that tenant's ID token, and every
 * other `authProvider` (google, aks, serviceAccount, the app's own OIDC
 * providers...) is answered by `base`, unchanged.
 *
 * @public
 */
export function withSpectroCloudKubernetesAuthProviders(
  base: KubernetesAuthProvidersApi,
  tenants: readonly SpectroCloudKubernetesTenant[],
): KubernetesAuthProvidersApi {
  const ours = new Map<string, KubernetesAuthProvider>(
    tenants.map(tenant => [
      `oidc.${tenant.providerName}`,
      createSpectroCloudKubernetesAuthProvider(tenant.authApi, {
        providerName: tenant.providerName,
        allowedAlgorithms: tenant.allowedAlgorithms,
      }),
    ]),
  );
  return {
    decorateRequestBodyForAuth: (authProvider, requestBody) =>
      ours.get(authProvider)?.decorateRequestBodyForAuth(requestBody) ??
      base.decorateRequestBodyForAuth(authProvider, requestBody),
    getCredentials: authProvider => ours.get(authProvider)?.getCredentials() ?? base.getCredentials(authProvider),
  };
}
