export {
  spectroCloudAuthApiRef,
  type SpectroCloudAuthApi,
  type SpectroCloudReAuthenticateOptions,
  type SpectroCloudReAuthenticationApi,
} from './apiRef';
export {
  SpectroCloudAuth,
  type SpectroCloudAuthOptions,
  type SpectroCloudAuthParts,
  type SpectroCloudSessionApi,
} from './SpectroCloudAuth';
export {
  createSpectroCloudAuthApiFactory,
  createSpectroCloudSignInProvider,
  type SpectroCloudAuthApiFactory,
  type SpectroCloudAuthApiFactoryOptions,
  type SpectroCloudSignInProviderConfig,
  type SpectroCloudSignInProviderOptions,
} from './factory';
export { SpectroCloudIcon } from './SpectroCloudIcon';
export {
  SpectroCloudSessionEndWarning,
  type SpectroCloudSessionEndWarningProps,
} from './sessionEnd/SpectroCloudSessionEndWarning';
export {
  SPECTROCLOUD_REAUTH_HEADER,
  createSpectroCloudReAuthFetch,
  spectroCloudReAuthFetchMiddleware,
  type CreateSpectroCloudReAuthFetchOptions,
  type SpectroCloudReAuthFetchMiddlewareOptions,
} from './reauth';
export {
  SpectroCloudFrontendError,
  SpectroCloudIdTokenError,
  SpectroCloudReAuthError,
  type SpectroCloudFrontendErrorCode,
} from './errors';
// Earlier names, each an alias of the one above (docs/upgrading.md, "Names from issue 25").
export {
  createSpectroCloudAuth,
  spectroCloudAuthApiFactory,
  spectroCloudSignInProvider,
  type SpectroCloudReAuthApi,
  type SpectroCloudReAuthOptions,
} from './deprecated';
