export {
  spectroCloudAuthApiRef,
  type SpectroCloudAuthApi,
  type SpectroCloudReAuthenticateOptions,
  type SpectroCloudReAuthenticationApi,
} from './apiRef';
export {
  SpectroCloudAuth,
  createSpectroCloudAuth,
  type SpectroCloudAuthOptions,
  type SpectroCloudAuthParts,
  type SpectroCloudSessionApi,
} from './SpectroCloudAuth';
export {
  createSpectroCloudAuthApiFactory,
  createSpectroCloudSignInProvider,
  spectroCloudAuthApiFactory,
  spectroCloudSignInProvider,
  type SpectroCloudAuthApiFactory,
  type SpectroCloudAuthApiFactoryOptions,
  type SpectroCloudSignInProviderConfig,
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
  type SpectroCloudReAuthApi,
  type SpectroCloudReAuthOptions,
} from './reauth';
export {
  SpectroCloudFrontendError,
  SpectroCloudIdTokenError,
  SpectroCloudReAuthError,
  type SpectroCloudFrontendErrorCode,
} from './errors';
