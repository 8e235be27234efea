export { spectrocloud, spectroCloudAuthMetrics, PROVIDER_LEVEL_KEYS, type SpectroCloudProviderOptions } from './provider';
export { createSessionTokenCapture } from './handlers/sessionTokenCapture';
export { SpectroCloudStrategy } from './strategy/SpectroCloudStrategy';
export type {
  SpectroCloudStrategyOptions,
  SpectroCloudTokenSet,
  SpectroCloudVerifyCallback,
  SpectroCloudAuthorizeOptions,
  SpectroCloudCallbackOptions,
} from './strategy/SpectroCloudStrategy';
export {
  SpectroCloudAuthHandlers,
  type SpectroCloudAuthHandlersOptions,
  type SpectroCloudAuthHandler,
  type SessionTokenHooks,
  type SignInEvents,
} from './handlers/SpectroCloudAuthHandlers';
export * from './sessionToken';
export { IdTokenVerifier, type IdTokenClaims, type IdTokenVerifierOptions } from './oidc/IdTokenVerifier';
export { EndpointResolver, type ResolvedEndpoints } from './oidc/EndpointResolver';
export { deriveEndpoints, type DerivedEndpoints } from './config/deriveEndpoints';
export { readEnvironmentConfig, type SpectroCloudEnvironmentConfig } from './config/readEnvironmentConfig';
export { spectroCloudSignInResolvers, readSignInResolversFromConfig, DEFAULT_EMAIL_ANNOTATION } from './resolvers';
export type { SpectroCloudAuthResult } from './profile';
export * from './errors';
