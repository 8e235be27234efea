export {
  createSpectroCloudKubernetesAuthProvidersApiFactory,
  spectroCloudKubernetesAuthProvidersApiFactory,
  type SpectroCloudKubernetesAuthProvidersFactoryOptions,
} from './factory';
export {
  createSpectroCloudKubernetesAuthProvider,
  spectroCloudIdTokenSource,
  type SpectroCloudKubernetesAuthProviderOptions,
} from './provider';
export { withSpectroCloudKubernetesAuthProviders, type SpectroCloudKubernetesTenant } from './withSpectroCloud';
