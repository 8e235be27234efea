import {
  createApiRef,
  type BackstageIdentityApi,
  type OpenIdConnectApi,
  type ProfileInfoApi,
  type SessionApi,
} from '@backstage/core-plugin-api';

/**
 * What the SpectroCloud auth API offers: ID tokens, the profile, the Backstage
 * identity and session control.
 *
 * @public
 */
export type SpectroCloudAuthApi = OpenIdConnectApi & ProfileInfoApi & BackstageIdentityApi & SessionApi;

/**
 * Reference to the SpectroCloud (Palette) auth API.
 *
 * @public
 */
export const spectroCloudAuthApiRef = createApiRef<SpectroCloudAuthApi>({
  id: 'core.auth.spectrocloud',
});
