// The main entry: what an auth-backend user needs. Everything else is internal.
// SpectroCloud's API-token hand-off for backend plugins is `.../palette-tokens`.
export { spectrocloud, type SpectroCloudIntegration, type SpectroCloudProviderOptions, type SpectroCloudProviderFactory } from './provider';
export type { SpectroCloudAuthHandler, SignInEvents } from './handlers/SpectroCloudAuthHandlers';
export type { SpectroCloudAuthResult } from './profile';
export type { IdTokenClaims } from './oidc/IdTokenVerifier';
export { SpectroCloudAuthMetrics, type SpectroCloudAuthMetricsSnapshot } from './metrics';
export { SpectroCloudStrategy } from './strategy/SpectroCloudStrategy';
export type {
  SpectroCloudStrategyOptions,
  SpectroCloudTokenSet,
  SpectroCloudVerifyCallback,
  SpectroCloudAuthorizeOptions,
  SpectroCloudCallbackOptions,
} from './strategy/SpectroCloudStrategy';
export {
  SpectroCloudAuthError,
  SpectroCloudConfigError,
  SpectroCloudIdpError,
  SpectroCloudNetworkError,
  SpectroCloudRequestError,
  SpectroCloudTokenError,
  SpectroCloudSignInError,
  SpectroCloudRefreshSessionError,
  type SpectroCloudErrorCode,
} from './errors';
