export { spectroCloudAuthApiRef, type SpectroCloudAuthApi } from './apiRef';
export { createSpectroCloudAuth, type SpectroCloudAuthOptions } from './SpectroCloudAuth';
export { spectroCloudAuthApiFactory, spectroCloudSignInProvider } from './factory';
export { SpectroCloudIcon } from './SpectroCloudIcon';
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
