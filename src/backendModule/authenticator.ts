import type { Request } from 'express';
import { decodeOAuthState, type OAuthAuthenticator, type OAuthAuthenticatorResult, type OAuthSession } from '@backstage/plugin-auth-node';
import { authResultOf, endSessionUrlFor, type VerifiedTokens } from '../core/authResult';
import { completeSignIn, type CompletedSignIn } from '../core/completeSignIn';
import { refreshSignIn } from '../core/refreshSignIn';
import { reportSignIn, reportSignInFailure, type SignInEvents } from '../core/signInEvents';
import { signOut } from '../core/signOut';
import { startSignIn } from '../core/startSignIn';
import type { EnvironmentParts } from '../environment/createEnvironmentParts';
import type { PaletteTokenCapture } from '../paletteTokens/capture/capture';
import { profileFromClaims, type SpectroCloudAuthResult } from '../profile';
import type { SessionPayload } from '../refreshSession/SealedSession';
import type { RefreshSessionEnds } from './refreshProviderInfo';
import type { ReusedSignIns } from './reusedSignIns';

/** What the authenticator returns: our verified result as the "full profile", the sealed session as the refresh token. */
export type SpectroCloudOAuthResult = OAuthAuthenticatorResult<SpectroCloudAuthResult>;

/** A sign-in waiting for its Backstage identity (the resolver runs after `authenticate`). */
export interface PendingSignIn {
  req: Request;
  done: CompletedSignIn;
  /** the app origin the sign-in's state names */
  origin?: string;
}

export interface SpectroCloudAuthenticatorOptions {
  parts: EnvironmentParts;
  isOriginAllowed: (origin: string) => boolean;
  sessionTokens: PaletteTokenCapture;
  events?: SignInEvents;
  /** filled by `authenticate`, emptied by the capturing resolver (see `captureOnSignIn`) */
  pending: WeakMap<SpectroCloudOAuthResult, PendingSignIn>;
  /** each result names its session, so the wrapped resolver may reuse that session's resolution */
  signIns: ReusedSignIns;
  /** filled by `refresh`, read by the route wrapper that completes `providerInfo` */
  sessionEnds: RefreshSessionEnds;
}

/**
 * The new backend system's authenticator for one environment, on the same
 * core as the legacy handlers. plugin-auth-node's route handlers own the
 * nonce cookie, the state and the refresh cookie's first piece; the sealed
 * session travels as `session.refreshToken`.
 */
export function createSpectroCloudAuthenticator(
  options: SpectroCloudAuthenticatorOptions,
): OAuthAuthenticator<EnvironmentParts, SpectroCloudAuthResult> {
  const { parts, isOriginAllowed, sessionTokens, events, pending, signIns, sessionEnds } = options;
  return {
    defaultProfileTransform: async result => ({ profile: profileFromClaims(result.fullProfile.claims) }),
    // The parts are built per environment already; nothing is read again from config here.
    initialize: () => parts,

    async start(input) {
      const state = decodeOAuthState(input.state);
      return startSignIn(parts, {
        req: input.req,
        cookieNonce: state.nonce,
        encodedState: input.state,
        state,
        requestedScope: input.scope,
        isOriginAllowed,
      });
    },

    async authenticate({ req }) {
      try {
        const done = await completeSignIn(parts, req, raw => decodeOAuthState(raw), isOriginAllowed);
        const origin = originOf(req);
        const result = resultOf(done, done.sessionId, parts.refreshCookie.write(req, done.session(undefined), origin));
        pending.set(result, { req, done, origin });
        reportSignIn(parts, events);
        return result;
      } catch (error) {
        throw reportSignInFailure(parts, events, error);
      }
    },

    async refresh({ req, refreshToken, scope }) {
      const payload = parts.refreshCookie.read(req, refreshToken);
      const refreshed = await refreshSignIn(parts, payload, scope);
      sessionEnds.set(req, refreshed.sessionEndsAt);
      // An unchanged first piece tells the route handler not to set the cookie again.
      const first = refreshed.next ? parts.refreshCookie.write(req, refreshed.next, req.get('origin')) : refreshToken;
      return resultOf(refreshed, payload.sessionId, first);
    },

    async logout({ req, refreshToken }) {
      let payload: SessionPayload | undefined;
      try {
        payload = parts.refreshCookie.read(req, refreshToken);
      } catch {
        payload = undefined; // nothing of ours to clean up
      }
      if (payload) {
        signIns.forget(payload.sessionId);
        await signOut(parts, payload);
      }
      await sessionTokens.forget({ req, userEntityRef: payload?.userEntityRef, email: payload?.email });
      parts.refreshCookie.clear(req, req.get('origin'));
      const logoutUrl = payload ? await endSessionUrlFor(parts, payload.idToken) : undefined;
      return logoutUrl ? { logoutUrl } : undefined;
    },
  };

  function resultOf(tokens: VerifiedTokens, sessionId: string, sealedFirstPiece: string): SpectroCloudOAuthResult {
    const authResult = authResultOf(parts, tokens);
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
