export { createSpectroCloudKubernetesAuthProvidersModule } from './module';
// Earlier names, each an alias of the one above (docs/upgrading.md, "Names from issue 25").
export { spectroCloudKubernetesAuthProvidersModule } from './deprecated';
