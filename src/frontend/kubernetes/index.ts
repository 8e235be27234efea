export { spectroCloudKubernetesAuthProvidersApiFactory } from './factory';
export {
  createSpectroCloudKubernetesAuthProvider,
  spectroCloudIdTokenSource,
  type SpectroCloudKubernetesAuthProviderOptions,
} from './provider';
