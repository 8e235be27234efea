import type { OpenIdConnectApi } from '@backstage/core-plugin-api';
import type { KubernetesAuthProvider } from '@backstage/plugin-kubernetes-react';
import { getSpectroCloudIdToken } from './idToken';

/**
 * Options of {@link createSpectroCloudKubernetesAuthProvider}.
 *
 * @public
 */
export interface SpectroCloudKubernetesAuthProviderOptions {
  /** The `oidcTokenProvider` name of the clusters; defaults to `spectrocloud`. */
  providerName?: string;
  /** JWT algorithms accepted for the ID token; defaults to `['RS256']`. */
  allowedAlgorithms?: readonly string[];
}

/**
 * A `KubernetesAuthProvider` that hands clusters the user's SpectroCloud ID
 * token (RS256), and never any other token.
 *
 * @public
 */
export function createSpectroCloudKubernetesAuthProvider(
  api: OpenIdConnectApi,
  options: SpectroCloudKubernetesAuthProviderOptions = {},
): KubernetesAuthProvider {
  const providerName = options.providerName ?? 'spectrocloud';
  const idTokens = spectroCloudIdTokenSource(api, options.allowedAlgorithms);
  return {
    async decorateRequestBodyForAuth(requestBody) {
      const token = await idTokens.getIdToken();
      const auth = requestBody.auth ?? {};
      const oidc = typeof auth.oidc === 'object' && auth.oidc !== null && !Array.isArray(auth.oidc) ? auth.oidc : {};
      return { ...requestBody, auth: { ...auth, oidc: { ...oidc, [providerName]: token } } };
    },
    async getCredentials() {
      return { token: await idTokens.getIdToken() };
    },
  };
}

/**
 * An `OpenIdConnectApi` that only ever returns the SpectroCloud ID token; for
 * the `oidcProviders` map of `KubernetesAuthProviders`.
 *
 * @public
 */
export function spectroCloudIdTokenSource(
  api: OpenIdConnectApi,
  allowedAlgorithms: readonly string[] = ['RS256'],
): OpenIdConnectApi {
  return { getIdToken: options => getSpectroCloudIdToken(api, allowedAlgorithms, options) };
}
