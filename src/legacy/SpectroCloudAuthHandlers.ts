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
import { profileFromClaims, type SpectroCloudAuthResult } from '../profile';
import { SignInCache } from '../refreshShortcuts/SignInCache';
import { userEntityRefOf, type VerifiedTokens } from '../signInService/authResult';
import type { SignInService } from '../signInService/SignInService';

export type SpectroCloudAuthHandler = (
  result: SpectroCloudAuthResult,
  context: AuthResolverContext,
) => Promise<{ profile: ProfileInfo }>;

export interface SpectroCloudAuthHandlersOptions {
  /** the environment's sign-in service, from `createSignInService` */
  service: SignInService;
  isOriginAllowed?: (origin: string) => boolean;
  resolverContext: AuthResolverContext;
  authHandler?: SpectroCloudAuthHandler;
  signInResolver?: SignInResolver<SpectroCloudAuthResult>;
}

/**
 * The legacy OAuthHandlers behind `/start`, `/handler/frame`, `/refresh` and
 * `/logout`: each one call into the sign-in service, in the legacy
 * OAuthAdapter's terms. The adapter owns the nonce cookie, the state and the
 * refresh cookie's first piece around them.
 */
export class SpectroCloudAuthHandlers implements OAuthHandlers {
  private readonly service: SignInService;
  /** a session's resolution, reused by its refreshes for a short while */
  private readonly signIns: SignInCache<{ profile: ProfileInfo; backstageIdentity?: BackstageSignInResult }>;

  constructor(private readonly options: SpectroCloudAuthHandlersOptions) {
    this.service = options.service;
    this.signIns = new SignInCache({ clock: () => this.service.now() });
  }

  async start(req: OAuthStartRequest): Promise<OAuthStartResponse> {
    return this.service.start({
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
      const readOrigin = (raw: string) => {
        const state = readState(raw);
        origin = state.origin;
        return state;
      };
      const done = await this.service.complete(req, readOrigin, this.options.isOriginAllowed);
      const response = await this.respond(done, done.sessionId);
      const refreshToken = await this.service.keepSignIn(req, done, userEntityRefOf(response.backstageIdentity), origin);
      this.service.signedIn();
      return { response, refreshToken };
    } catch (error) {
      throw this.service.signInFailed(error);
    }
  }

  async refresh(req: OAuthRefreshRequest): Promise<{ response: OAuthResponse; refreshToken?: string }> {
    const refreshed = await this.service.refresh(req, req.refreshToken, req.scope);
    return { response: await this.respond(refreshed, refreshed.sessionId), refreshToken: refreshed.firstPiece };
  }

  async logout(req: OAuthLogoutRequest): Promise<void> {
    const { sessionId } = await this.service.signOut(req, req.refreshToken);
    if (sessionId) this.signIns.forget(sessionId);
  }

  /** Profile, provider info and Backstage identity, all from verified claims. */
  private async respond(tokens: VerifiedTokens, sessionId: string): Promise<OAuthResponse> {
    const { resolverContext, authHandler, signInResolver } = this.options;
    const result = this.service.authResult(tokens);
    const { idToken, accessToken } = tokens;
    const { profile, backstageIdentity } = await this.signIns.resolve({ sessionId, idToken, accessToken }, async () => {
      const { profile } = authHandler ? await authHandler(result, resolverContext) : { profile: profileFromClaims(tokens.claims) };
      return { profile, backstageIdentity: signInResolver ? await signInResolver({ profile, result }, resolverContext) : undefined };
    });
    const { scope, expires_in: expiresInSeconds } = result.params;
    const extras = await this.service.providerInfoExtras(tokens.idToken, tokens.sessionEndsAt);
    return {
      profile,
      providerInfo: { accessToken: result.accessToken, idToken: tokens.idToken, scope, expiresInSeconds, ...extras },
      ...(backstageIdentity ? { backstageIdentity } : {}),
    };
  }
}
