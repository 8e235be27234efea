// The main entry: what a legacy auth-backend user and a passport user need. Everything else is internal
// (tests import src/ files directly). SpectroCloud's API-token hand-off for backend plugins is `.../palette-tokens`;
// every error is a SpectroCloudAuthError told apart by its `code` (docs/troubleshooting.md).
export {
  spectrocloud,
  type SpectroCloudIntegration,
  type SpectroCloudProviderOptions,
  type SpectroCloudProviderFactory,
} from './legacy/provider';
export type { SpectroCloudAuthHandler } from './legacy/SpectroCloudAuthHandlers';
export type { SpectroCloudAuthResult } from './profile';
export type { SpectroCloudSignInResolvers, SpectroCloudResolverOptions } from './resolvers';
export type { IdTokenClaims } from './oidc/IdTokenVerifier';
export { SpectroCloudAuthMetrics, type SpectroCloudAuthMetricsSnapshot, type TokenStoreEvent, type HandoffEvent } from './metrics';
export { SpectroCloudStrategy } from './oauth2/SpectroCloudStrategy';
export type {
  SpectroCloudStrategyOptions,
  SpectroCloudTokenSet,
  SpectroCloudVerifyCallback,
  SpectroCloudAuthorizeOptions,
  SpectroCloudCallbackOptions,
} from './oauth2/SpectroCloudStrategy';
export { SpectroCloudAuthError, type SpectroCloudErrorCode } from './errors';
export { redactCallbackQuery } from './requestLog/redactCallbackQuery';
