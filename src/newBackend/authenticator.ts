import type { Request } from 'express';
import { decodeOAuthState, type OAuthAuthenticator, type OAuthAuthenticatorResult, type OAuthSession } from '@backstage/plugin-auth-node';
import { profileFromClaims, type SpectroCloudAuthResult } from '../profile';
import type { VerifiedTokens } from '../signInService/authResult';
import type { CompletedSignIn } from '../signInService/results';
import type { SignInService } from '../signInService/SignInService';
import type { RefreshSessionEnds } from './routeHandlerAdditions';
import type { ReusedSignIns } from './reusedSignIns';

/** What the authenticator returns: our verified result as the "full profile", the sealed session as the refresh token. */
export type ModuleSignInResult = OAuthAuthenticatorResult<SpectroCloudAuthResult>;

/** A sign-in waiting for its Backstage identity (the resolver runs after `authenticate`). */
export interface PendingSignIn {
  req: Request;
  done: CompletedSignIn;
  /** the app origin the sign-in's state names */
  origin?: string;
}

export interface SpectroCloudAuthenticatorOptions {
  service: SignInService;
  isOriginAllowed: (origin: string) => boolean;
  /**
   * Filled by `authenticate`, emptied by the capturing resolver (see `captureOnSignIn`), which then counts
   * and logs the sign-in as a success or a failure. Absent without a resolver: `authenticate` counts it.
   */
  pending?: WeakMap<ModuleSignInResult, PendingSignIn>;
  /** each result names its session, so the wrapped resolver may reuse that session's resolution */
  signIns: ReusedSignIns;
  /** filled by `refresh`, read by the route wrapper that completes `providerInfo` */
  sessionEnds: RefreshSessionEnds;
}

/**
 * The new backend system's authenticator for one environment: like
 * Backstage's own modules, each method is one call into the sign-in service
 * and a translation into Backstage's shapes. plugin-auth-node's route
 * handlers own the nonce cookie, the state and the refresh cookie's first
 * piece; the sealed session travels as `session.refreshToken`.
 */
export function createSpectroCloudAuthenticator(options: SpectroCloudAuthenticatorOptions): OAuthAuthenticator<SignInService, SpectroCloudAuthResult> {
  const { service, isOriginAllowed, pending, signIns, sessionEnds } = options;
  return {
    defaultProfileTransform: async result => ({ profile: profileFromClaims(result.fullProfile.claims) }),
    // The service is built per environment already; nothing is read again from config here.
    initialize: () => service,

    async start(input) {
      const state = decodeOAuthState(input.state);
      return service.start({ req: input.req, cookieNonce: state.nonce, encodedState: input.state, state, requestedScope: input.scope, isOriginAllowed });
    },

    async authenticate({ req }) {
      try {
        const done = await service.complete(req, raw => decodeOAuthState(raw), isOriginAllowed);
        const origin = originOf(req);
        // Sealed without the user for now; the capturing resolver reseals it once the identity is known.
        const result = resultOf(done, done.sessionId, service.sealSession(req, done, undefined, origin));
        if (pending) pending.set(result, { req, done, origin });
        else service.signedIn();
        return result;
      } catch (error) {
        throw service.signInFailed(error);
      }
    },

    async refresh({ req, refreshToken, scope }) {
      const refreshed = await service.refresh(req, refreshToken, scope);
      sessionEnds.set(req, refreshed.sessionEndsAt);
      // An unchanged first piece tells the route handler not to set the cookie again.
      return resultOf(refreshed, refreshed.sessionId, refreshed.firstPiece ?? refreshToken);
    },

    async logout({ req, refreshToken }) {
      const { sessionId, idToken } = await service.signOut(req, refreshToken);
      if (sessionId) signIns.forget(sessionId);
      const logoutUrl = idToken ? await service.endSessionUrl(idToken) : undefined;
      return logoutUrl ? { logoutUrl } : undefined;
    },
  };

  function resultOf(tokens: VerifiedTokens, sessionId: string, sealedFirstPiece: string): ModuleSignInResult {
    const authResult = service.authResult(tokens);
    signIns.belongsTo(authResult, sessionId);
    const session: OAuthSession = {
      accessToken: authResult.accessToken,
      tokenType: 'Bearer',
      idToken: tokens.idToken,
      scope: authResult.params.scope,
      expiresInSeconds: authResult.params.expires_in,
      refreshToken: sealedFirstPiece,
    };
    return { fullProfile: authResult, session };
  }
}

/** The app origin the callback's state names, for the cookies' SameSite choice. */
function originOf(req: Request): string | undefined {
  try {
    return decodeOAuthState(String((req.query as Record<string, unknown>).state ?? '')).origin;
  } catch {
    return undefined;
  }
}
