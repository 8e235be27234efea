export {
  createSpectroCloudKubernetesAuthProvidersApiFactory,
  type SpectroCloudKubernetesAuthProvidersFactoryOptions,
} from './factory';
export {
  createSpectroCloudKubernetesAuthProvider,
  spectroCloudIdTokenSource,
  type SpectroCloudKubernetesAuthProviderOptions,
} from './provider';
export { withSpectroCloudKubernetesAuthProviders, type SpectroCloudKubernetesTenant } from './withSpectroCloud';
// Earlier names, each an alias of the one above (docs/upgrading.md, "Names from issue 25").
export { spectroCloudKubernetesAuthProvidersApiFactory } from './deprecated';
