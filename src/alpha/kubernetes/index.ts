export {
  createSpectroCloudKubernetesAuthProvidersModule,
  spectroCloudKubernetesAuthProvidersModule,
} from './module';
