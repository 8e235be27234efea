// Names of earlier versions, kept working as aliases of the one name each thing has now (issue 25; docs/upgrading.md).
import type { ApiFactory } from '@backstage/core-plugin-api';
import type { KubernetesAuthProvidersApi } from '@backstage/plugin-kubernetes-react';
import { createSpectroCloudKubernetesAuthProvidersApiFactory } from './factory';

/**
 * The earlier name of createSpectroCloudKubernetesAuthProvidersApiFactory, kept working.
 *
 * @public
 * @deprecated Use `createSpectroCloudKubernetesAuthProvidersApiFactory()`.
 */
export const spectroCloudKubernetesAuthProvidersApiFactory: ApiFactory<KubernetesAuthProvidersApi, KubernetesAuthProvidersApi, Record<string, unknown>> =
  createSpectroCloudKubernetesAuthProvidersApiFactory();
