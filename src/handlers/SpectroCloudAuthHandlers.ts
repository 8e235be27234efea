import type { Request } from 'express';
import type { AuthResolverContext, BackstageSignInResult, ProfileInfo, SignInResolver } from '@backstage/plugin-auth-node';
import { encodeState, readState } from '@backstage/plugin-auth-backend';
import type {
  OAuthHandlers,
  OAuthLogoutRequest,
  OAuthRefreshRequest,
  OAuthResponse,
  OAuthStartRequest,
  OAuthStartResponse,
} from '@backstage/plugin-auth-backend';
import { authResultOf, endSessionUrlFor, sessionEndsInSeconds, userEntityRefOf, type VerifiedTokens } from '../core/authResult';
import { completeSignIn } from '../core/completeSignIn';
import { refreshSignIn } from '../core/refreshSignIn';
import { reportSignIn, reportSignInFailure, type SignInEvents } from '../core/signInEvents';
import { signOut } from '../core/signOut';
import { startSignIn } from '../core/startSignIn';
import type { EnvironmentParts } from '../environment/createEnvironmentParts';
import { profileFromClaims, type SpectroCloudAuthResult } from '../profile';
import type { SessionPayload } from '../refreshSession/SealedSession';
import { SignInCache } from '../refreshShortcuts/SignInCache';
import type { PaletteTokenCapture } from '../paletteTokens/capture/capture';

export type { PaletteTokenCapture, SignInEvents };

export type SpectroCloudAuthHandler = (
  result: SpectroCloudAuthResult,
  context: AuthResolverContext,
) => Promise<{ profile: ProfileInfo }>;

export interface SpectroCloudAuthHandlersOptions {
  /** the environment's parts, from `createEnvironmentParts` */
  parts: EnvironmentParts;
  isOriginAllowed?: (origin: string) => boolean;
  resolverContext: AuthResolverContext;
  authHandler?: SpectroCloudAuthHandler;
  signInResolver?: SignInResolver<SpectroCloudAuthResult>;
  sessionTokens?: PaletteTokenCapture;
  events?: SignInEvents;
}

/**
 * The legacy OAuthHandlers behind `/start`, `/handler/frame`, `/refresh` and
 * `/logout`: orchestration of the core (`src/core/`) in the legacy
 * OAuthAdapter's terms. The adapter owns the nonce cookie, the state and the
 * refresh cookie's first piece around them.
 */
export class SpectroCloudAuthHandlers implements OAuthHandlers {
  private readonly parts: EnvironmentParts;
  /** a session's resolution, reused by its refreshes for a short while */
  private readonly signIns: SignInCache<{ profile: ProfileInfo; backstageIdentity?: BackstageSignInResult }>;

  constructor(private readonly options: SpectroCloudAuthHandlersOptions) {
    this.parts = options.parts;
    this.signIns = new SignInCache({ clock: () => this.parts.clock() });
  }

  async start(req: OAuthStartRequest): Promise<OAuthStartResponse> {
    return startSignIn(this.parts, {
      req,
      cookieNonce: req.state.nonce,
      encodedState: encodeState(req.state),
      state: req.state,
      requestedScope: req.scope,
      isOriginAllowed: this.options.isOriginAllowed,
    });
  }

  async handler(req: Request): Promise<{ response: OAuthResponse; refreshToken?: string }> {
    try {
      let origin: string | undefined;
      const done = await completeSignIn(
        this.parts,
        req,
        raw => {
          const state = readState(raw);
          origin = state.origin;
          return state;
        },
        this.options.isOriginAllowed,
      );
      const response = await this.respond(done, done.sessionId);
      const userEntityRef = userEntityRefOf(response.backstageIdentity);
      if (done.sessionToken && this.options.sessionTokens) {
        await this.options.sessionTokens.remember({
          req,
          userEntityRef,
          email: done.email,
          sessionToken: done.sessionToken,
          expiresAt: done.keepSessionTokenUntil,
        });
      }
      const refreshToken = this.parts.refreshCookie.write(req, done.session(userEntityRef), origin);
      reportSignIn(this.parts, this.options.events);
      return { response, refreshToken };
    } catch (error) {
      throw reportSignInFailure(this.parts, this.options.events, error);
    }
  }

  async refresh(req: OAuthRefreshRequest): Promise<{ response: OAuthResponse; refreshToken?: string }> {
    const payload = this.parts.refreshCookie.read(req, req.refreshToken);
    const refreshed = await refreshSignIn(this.parts, payload, req.scope);
    const response = await this.respond(refreshed, payload.sessionId);
    return { response, refreshToken: refreshed.next ? this.parts.refreshCookie.write(req, refreshed.next, req.get('origin')) : undefined };
  }

  async logout(req: OAuthLogoutRequest): Promise<void> {
    let payload: SessionPayload | undefined;
    try {
      payload = this.parts.refreshCookie.read(req, req.refreshToken);
    } catch {
      payload = undefined; // nothing of ours to clean up
    }
    if (payload) this.signIns.forget(payload.sessionId);
    if (payload) await signOut(this.parts, payload);
    await this.options.sessionTokens?.forget({ req, userEntityRef: payload?.userEntityRef, email: payload?.email });
    this.parts.refreshCookie.clear(req, req.get('origin'));
  }

  /** Profile, provider info and Backstage identity, all from verified claims. */
  private async respond(tokens: VerifiedTokens, sessionId: string): Promise<OAuthResponse> {
    const { resolverContext, authHandler, signInResolver } = this.options;
    const result = authResultOf(this.parts, tokens);
    const { idToken, accessToken } = tokens;
    const { profile, backstageIdentity } = await this.signIns.resolve({ sessionId, idToken, accessToken }, async () => {
      const { profile } = authHandler ? await authHandler(result, resolverContext) : { profile: profileFromClaims(tokens.claims) };
      return { profile, backstageIdentity: signInResolver ? await signInResolver({ profile, result }, resolverContext) : undefined };
    });
    const endSession = await endSessionUrlFor(this.parts, tokens.idToken);
    const { scope, expires_in: expiresInSeconds } = result.params;
    const endsIn = sessionEndsInSeconds(this.parts, tokens.sessionEndsAt);
    return {
      profile,
      providerInfo: {
        accessToken: result.accessToken,
        idToken: tokens.idToken,
        scope,
        expiresInSeconds,
        ...(endsIn === undefined ? {} : { sessionEndsInSeconds: endsIn }),
        ...(endSession ? { endSessionUrl: endSession } : {}),
      },
      ...(backstageIdentity ? { backstageIdentity } : {}),
    };
  }
}
