import { OAuth2, type PopupOptions } from '@backstage/core-app-api';
import {
  SessionState,
  type AuthRequestOptions,
  type BackstageIdentityApi,
  type BackstageIdentityResponse,
  type ConfigApi,
  type DiscoveryApi,
  type OAuthRequestApi,
  type OpenIdConnectApi,
  type ProfileInfo,
  type ProfileInfoApi,
  type SessionApi,
} from '@backstage/core-plugin-api';
import type { SpectroCloudAuthApi, SpectroCloudReAuthenticateOptions } from './apiRef';
import { readEndSessionUrl } from './endSession';
import { openRedirectRenewalNote, type RedirectRenewalNote } from './redirectRenewal';
import { openRenewalBroadcast, type RenewalBroadcast } from './renewalBroadcast';
import { SpectroCloudReAuthError } from './errors';
import { FreshSignIn } from './freshSignIn';
import { createSessionlessClient } from './sessionlessClient';
import { SessionStateRelay } from './sessionStateRelay';
import { SpectroCloudIcon } from './SpectroCloudIcon';

/**
 * Options of {@link SpectroCloudAuth.create}.
 *
 * @public
 */
export interface SpectroCloudAuthOptions {
  discoveryApi: DiscoveryApi;
  oauthRequestApi: OAuthRequestApi;
  /** Reads `auth.environment` and `enableExperimentalRedirectFlow`. */
  configApi?: ConfigApi;
  /**
   * The backend provider id: the client talks to `/api/auth/<providerId>/...`.
   * Defaults to `spectrocloud`; a second tenant is e.g. `spectrocloud-eu`.
   */
  providerId?: string;
  /** Shown in the login-request dialog; defaults to `SpectroCloud`. */
  title?: string;
  /** Defaults to `auth.environment`, else `development`. */
  environment?: string;
  /** Defaults to `openid profile email`. */
  defaultScopes?: string[];
  /** Defaults to a fullscreen popup. */
  popupOptions?: PopupOptions;
  /**
   * Where sign-out sends the top window when the backend handed the session a
   * SpectroCloud end-session URL. Defaults to `window.location.assign`.
   */
  navigate?: (url: string) => void;
}

/**
 * The session engine of {@link SpectroCloudAuth}: core-app-api's `OAuth2`, or
 * anything with its public surface.
 *
 * @public
 */
export type SpectroCloudSessionApi = OpenIdConnectApi & ProfileInfoApi & BackstageIdentityApi & SessionApi;

/**
 * What {@link SpectroCloudAuth} is made of; {@link SpectroCloudAuth.create}
 * wires the real ones.
 *
 * @public
 */
export interface SpectroCloudAuthParts {
  /** Holds the signed-in session, recovers it through `/refresh`, signs out through `/logout`. */
  session: SpectroCloudSessionApi;
  /**
   * A new session engine like `session`, holding nothing yet: after a renewal it
   * takes over from `session`, its first `/refresh` bringing the renewed session
   * (the refresh cookie the renewal's sign-in set).
   */
  newSession: () => SpectroCloudSessionApi;
  /** A real sign-in beside the session, for re-authentication. */
  signInAgain: (options?: SpectroCloudReAuthenticateOptions) => Promise<BackstageIdentityResponse>;
  /** The current session's SpectroCloud end-session URL, if the backend gives one. */
  endSessionUrl: () => Promise<string | undefined>;
  navigate: (url: string) => void;
}

/**
 * The SpectroCloud auth API: Backstage's own `OAuth2` client (popup, `/refresh`
 * recovery and session state behave exactly like the built-in providers) plus
 * re-authentication that never strands the user, and sign-out that also ends
 * the SpectroCloud session when the backend says how.
 *
 * @public
 */
export class SpectroCloudAuth implements SpectroCloudAuthApi {
  /**
   * Builds the SpectroCloud auth API for one provider id (one SpectroCloud
   * tenant). The one way to build it: a static `create` on the client class, as
   * Backstage's own auth clients have (`GithubAuth.create`, `OAuth2.create`),
   * so an app's `createApiFactory` reads the same for SpectroCloud as for them.
   */
  static create(options: SpectroCloudAuthOptions): SpectroCloudAuth {
    const { configApi, discoveryApi } = options;
    const provider = {
      id: options.providerId ?? 'spectrocloud',
      title: options.title ?? 'SpectroCloud',
      icon: SpectroCloudIcon,
    };
    const environment = options.environment ?? configApi?.getOptionalString('auth.environment') ?? 'development';
    const defaultScopes = options.defaultScopes ?? ['openid', 'profile', 'email'];
    const clientOptions = {
      discoveryApi,
      configApi,
      provider,
      environment,
      defaultScopes,
      popupOptions: options.popupOptions ?? { size: { fullscreen: true } },
    };
    const freshSignIn = new FreshSignIn({
      provider,
      oauthRequestApi: options.oauthRequestApi,
      scopes: defaultScopes,
      newSessionlessClient: () => createSessionlessClient(clientOptions),
    });
    const newSession = () => OAuth2.create({ ...clientOptions, oauthRequestApi: options.oauthRequestApi });
    const auth = new SpectroCloudAuth({
      session: newSession(),
      newSession,
      signInAgain: signInOptions => freshSignIn.signIn(signInOptions),
      endSessionUrl: () => readEndSessionUrl({ discoveryApi, providerId: provider.id, environment, scopes: defaultScopes }),
      navigate: options.navigate ?? (url => window.location.assign(url)),
    });
    // A renewal in another tab of the app: this tab takes the renewed session at once (its /refresh, with the cookie that renewal set).
    auth.renewals = openRenewalBroadcast(provider.id, userEntityRef => void auth.followRenewal(userEntityRef));
    if (configApi?.getOptionalBoolean('enableExperimentalRedirectFlow')) {
      auth.redirectRenewal = openRedirectRenewalNote(provider.id);
      const renewedUser = auth.redirectRenewal.take();
      if (renewedUser) void auth.finishRedirectRenewal(renewedUser);
    }
    return auth;
  }

  /** The app's session; replaced by the renewed one after a re-authentication. */
  private session: SpectroCloudSessionApi;
  private readonly state = new SessionStateRelay();
  /** Set by {@link SpectroCloudAuth.create}: the app's other tabs, told of a renewal here. */
  private renewals?: RenewalBroadcast;
  /** Set by {@link SpectroCloudAuth.create} when the app signs in through the redirect flow. */
  private redirectRenewal?: RedirectRenewalNote;

  constructor(private readonly parts: SpectroCloudAuthParts) {
    this.session = parts.session;
    this.state.follow(this.session);
  }

  signIn(): Promise<void> {
    return this.session.signIn();
  }

  /**
   * Ends the Backstage session (`POST /logout`); then, when the backend gave
   * the session a SpectroCloud end-session URL, sends the top window there so
   * the next sign-in can pick another user.
   */
  async signOut(): Promise<void> {
    // Read before /logout: afterwards the backend no longer knows the session.
    const endSessionUrl = this.state.current === SessionState.SignedIn ? await this.parts.endSessionUrl() : undefined;
    await this.session.signOut();
    if (endSessionUrl) this.parts.navigate(endSessionUrl);
  }

  /** One stream for the app's lifetime: a renewal for the same user emits nothing. */
  sessionState$(): ReturnType<SessionApi['sessionState$']> {
    return this.state.observable();
  }

  getIdToken(options?: AuthRequestOptions): Promise<string> {
    return this.session.getIdToken(options);
  }

  getProfile(options?: AuthRequestOptions): Promise<ProfileInfo | undefined> {
    return this.session.getProfile(options);
  }

  getBackstageIdentity(options?: AuthRequestOptions): Promise<BackstageIdentityResponse | undefined> {
    return this.session.getBackstageIdentity(options);
  }

  /**
   * A real sign-in beside the current session: the session is kept until the
   * new sign-in succeeded, so dismissing it leaves the user signed in. Once it
   * succeeded, the renewed session replaces the app's (new Backstage token,
   * new ID token; `sessionState$` stays SignedIn). A sign-in as someone else
   * signs the app out (the backend's session, now the other user's, ends too)
   * and rejects with `ERR_REAUTH_USER_CHANGED`: the app never carries on as
   * one user while the backend holds another's session.
   */
  async reAuthenticate(options?: SpectroCloudReAuthenticateOptions): Promise<BackstageIdentityResponse> {
    // From the cache when signed in: no request, so an instant popup still has its click.
    const before = await this.session.getBackstageIdentity({ optional: true }).catch(() => undefined);
    // The redirect flow leaves the page before signInAgain settles: the app's next load here finishes the renewal.
    if (before) this.redirectRenewal?.write(before.identity.userEntityRef);
    let after: BackstageIdentityResponse;
    try {
      after = await this.parts.signInAgain(options);
    } finally {
      this.redirectRenewal?.take(); // settled here: the page never left
    }
    if (before && before.identity.userEntityRef !== after.identity.userEntityRef) {
      await this.session.signOut().catch(() => undefined); // signed out locally even when /logout fails
      throw new SpectroCloudReAuthError(
        'ERR_REAUTH_USER_CHANGED',
        'SpectroCloud re-authentication signed in as another user, so you were signed out; sign in again as the user you want',
      );
    }
    if (await this.adoptRenewedSession(after.identity.userEntityRef)) this.renewals?.post(after.identity.userEntityRef);
    return after;
  }

  /**
   * This load comes back from a renewal through the redirect flow: the other
   * tabs take the renewed session, as after a popup renewal. Signed in as
   * someone else, the app is signed out, as {@link SpectroCloudAuth.reAuthenticate} does.
   */
  private async finishRedirectRenewal(renewedUser: string): Promise<void> {
    // The /refresh the app makes at load anyway: core-app-api sends concurrent ones as one request.
    const identity = await this.session.getBackstageIdentity({ optional: true }).catch(() => undefined);
    const user = identity?.identity.userEntityRef;
    if (user === renewedUser) this.renewals?.post(user);
    else if (user) await this.session.signOut().catch(() => undefined);
  }

  /**
   * Another tab renewed the session of `userEntityRef`: when this tab holds
   * that user's session, the renewed one takes over here too, so getIdToken()
   * hands out the new ID token now rather than at the next routine refresh.
   */
  private async followRenewal(userEntityRef: string): Promise<void> {
    if (this.state.current !== SessionState.SignedIn) return; // signed out here: the next sign-in picks it up
    const current = await this.session.getBackstageIdentity({ optional: true }).catch(() => undefined);
    if (current?.identity.userEntityRef === userEntityRef) await this.adoptRenewedSession(userEntityRef);
  }

  /** The renewed session (from the cookie the sign-in set) takes over, if it is the signed-in user's. */
  private async adoptRenewedSession(userEntityRef: string): Promise<boolean> {
    const next = this.parts.newSession();
    const identity = await next.getBackstageIdentity({ optional: true }).catch(() => undefined);
    // Anything else (the refresh failed meanwhile) keeps the current session rather than none.
    if (identity?.identity.userEntityRef !== userEntityRef) return false;
    this.session = next;
    this.state.follow(next);
    return true;
  }
}
