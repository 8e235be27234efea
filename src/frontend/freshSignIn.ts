import type {
  AuthProviderInfo,
  BackstageIdentityApi,
  BackstageIdentityResponse,
  OAuthRequestApi,
} from '@backstage/core-plugin-api';
import type { SpectroCloudReAuthenticateOptions } from './apiRef';
import { SpectroCloudReAuthError } from './errors';

/**
 * Options of {@link FreshSignIn}.
 */
export interface FreshSignInOptions {
  provider: AuthProviderInfo;
  /** The app's login-request dialog queue. */
  oauthRequestApi: OAuthRequestApi;
  /** Scopes shown with the queued request. */
  scopes: readonly string[];
  /**
   * A new client holding no session, so its sign-in cannot be answered from a
   * cache or by `/refresh`: only a real popup sign-in gives it an identity.
   */
  newSessionlessClient: () => Pick<BackstageIdentityApi, 'getBackstageIdentity'>;
}

/**
 * A real sign-in that runs beside the current session instead of replacing it:
 * the app's session is not touched, so when the sign-in is dismissed or cannot
 * start, the user stays signed in as before.
 */
export class FreshSignIn {
  private readonly requestInDialog: (scopes: Set<string>) => Promise<BackstageIdentityResponse>;

  constructor(private readonly options: FreshSignInOptions) {
    // Registered once, as core-app-api's own connector does: the dialog lists the
    // request while one is pending, and the user's click there runs the popup.
    this.requestInDialog = options.oauthRequestApi.createAuthRequester({
      provider: options.provider,
      onAuthRequest: () => this.popup(),
    });
  }

  async signIn(options: SpectroCloudReAuthenticateOptions = {}): Promise<BackstageIdentityResponse> {
    if (options.instantPopup ?? true) {
      try {
        return await this.popup();
      } catch (error) {
        // No click behind this call: the browser blocked the popup. Ask through the dialog.
        if (!(error instanceof Error && error.name === 'PopupRejectedError')) throw error;
      }
    }
    return this.requestInDialog(new Set(this.options.scopes));
  }

  private async popup(): Promise<BackstageIdentityResponse> {
    const identity = await this.options
      .newSessionlessClient()
      .getBackstageIdentity({ instantPopup: true, optional: false });
    if (!identity) {
      throw new SpectroCloudReAuthError(
        'ERR_REAUTH_FAILED',
        'SpectroCloud re-authentication failed: the sign-in finished without a Backstage identity',
      );
    }
    return identity;
  }
}
