// Names of earlier versions, kept working as aliases of the one name each thing has now (issue 25; docs/upgrading.md).
import type { FrontendModule } from '@backstage/frontend-plugin-api';
import { createSpectroCloudKubernetesAuthProvidersModule } from './module';

/**
 * The earlier name of createSpectroCloudKubernetesAuthProvidersModule, kept working.
 *
 * @alpha
 * @deprecated Use `createSpectroCloudKubernetesAuthProvidersModule()`.
 */
export const spectroCloudKubernetesAuthProvidersModule: FrontendModule = createSpectroCloudKubernetesAuthProvidersModule();
