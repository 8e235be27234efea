import { createFrontendModule, type FrontendModule } from '@backstage/frontend-plugin-api';
import { createSpectroCloudKubernetesAuthProvidersApiFactory, type SpectroCloudKubernetesAuthProvidersFactoryOptions } from '../../frontend/kubernetes/factory';
import { apiExtension } from '../apiExtension';

/**
 * A module of the Kubernetes plugin that replaces its `api:kubernetes/auth-providers`
 * extension with one that keeps every stock provider (google, aks,
 * serviceAccount, the OIDC providers gitlab, google, microsoft, okta, onelogin,
 * plus `oidcProviders` given) and adds `oidc.spectrocloud` (or the tenants given),
 * which hands clusters the user's RS256 ID token. One name with or without
 * options, like the other modules of `.../alpha`.
 *
 * @alpha
 */
export function createSpectroCloudKubernetesAuthProvidersModule(
  options: SpectroCloudKubernetesAuthProvidersFactoryOptions = {},
): FrontendModule {
  return createFrontendModule({
    pluginId: 'kubernetes',
    extensions: [apiExtension(createSpectroCloudKubernetesAuthProvidersApiFactory(options), 'auth-providers')],
  });
}
