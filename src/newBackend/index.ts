// `.../backend-module`: the SpectroCloud provider as a module of the new backend system's auth plugin.
// backend.add(import('backstage-plugin-spectrocloud-auth-legacy/backend-module'))
export { authModuleSpectroCloudProvider as default } from './module';
export { spectroCloudAuthMetricsServiceRef } from './metricsService';
export type { SpectroCloudAuthMetrics, SpectroCloudAuthMetricsSnapshot, TokenStoreEvent, HandoffEvent } from '../metrics';
