import { createServiceFactory, createServiceRef } from '@backstage/backend-plugin-api';
import { SpectroCloudAuthMetrics } from '../metrics';

/**
 * The counters the SpectroCloud auth module reports to: sign-ins and failures
 * by error code, per provider id (no user data). Root-scoped, so the module
 * and whoever reads them (a plugin, the backend's metrics exporter) share one
 * object: depend on this ref and call `snapshot()`. Replace its factory to
 * hand the module counters of your own.
 *
 * @public
 */
export const spectroCloudAuthMetricsServiceRef = createServiceRef<SpectroCloudAuthMetrics>({
  id: 'spectrocloud.auth-metrics',
  scope: 'root',
  defaultFactory: async service => createServiceFactory({ service, deps: {}, factory: () => new SpectroCloudAuthMetrics() }),
});
