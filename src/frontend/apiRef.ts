import {
  createApiRef,
  type BackstageIdentityApi,
  type BackstageIdentityResponse,
  type OpenIdConnectApi,
  type ProfileInfoApi,
  type SessionApi,
} from '@backstage/core-plugin-api';

/**
 * Options of {@link SpectroCloudReAuthenticationApi.reAuthenticate}.
 *
 * @public
 */
export interface SpectroCloudReAuthenticateOptions {
  /**
   * `true` (default) opens the sign-in popup at once and, when the browser
   * blocks it (no click behind the call), queues the sign-in in the app's
   * login-request dialog instead. `false` always queues it in the dialog.
   */
  instantPopup?: boolean;
}

/**
 * A new sign-in through SpectroCloud that leaves the current session in place
 * until the new one exists, so a dismissed or failed sign-in never signs the
 * user out.
 *
 * @public
 */
export interface SpectroCloudReAuthenticationApi {
  /**
   * Runs a real sign-in (popup through `/handler/frame`, never `/refresh`), so
   * the backend captures a fresh Palette token. Resolves with the
   * new Backstage identity.
   */
  reAuthenticate(options?: SpectroCloudReAuthenticateOptions): Promise<BackstageIdentityResponse>;
}

/**
 * What the SpectroCloud auth API offers: ID tokens, the profile, the Backstage
 * identity, session control and re-authentication.
 *
 * @public
 */
export type SpectroCloudAuthApi = OpenIdConnectApi &
  ProfileInfoApi &
  BackstageIdentityApi &
  SessionApi &
  SpectroCloudReAuthenticationApi;

/**
 * Reference to the SpectroCloud (Palette) auth API of provider `spectrocloud`.
 * A second tenant gets its own: `createApiRef<SpectroCloudAuthApi>({ id: 'core.auth.spectrocloud-eu' })`.
 *
 * @public
 */
export const spectroCloudAuthApiRef = createApiRef<SpectroCloudAuthApi>({
  id: 'core.auth.spectrocloud',
});
