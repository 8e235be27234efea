import jwt from 'jsonwebtoken';
import type { IdTokenClaims } from '../oidc/IdTokenVerifier';
import { passportProfileFromClaims, type SpectroCloudAuthResult } from '../profile';

export interface VerifiedTokens {
  claims: IdTokenClaims;
  idToken: string;
  accessToken: string;
  params: Record<string, unknown>;
  /** epoch ms when the session ends past any silent renewal (`sessionEndOf`); Infinity when it has no end */
  sessionEndsAt: number;
}

/**
 * The result sign-in resolvers and profile handlers see, from verified
 * claims only. `expires_in` never outlives the ID token nor `sessionDuration`,
 * so the app refreshes in time.
 */
export function authResultOf(tokens: VerifiedTokens, input: { now: number; configuredScope: string }): SpectroCloudAuthResult {
  const { claims, idToken, accessToken, params, sessionEndsAt } = tokens;
  const { now } = input;
  const secondsLeft = Math.max(0, Math.min(claims.exp - Math.floor(now / 1000), Math.floor((sessionEndsAt - now) / 1000)));
  const expiresIn = typeof params.expires_in === 'number' ? Math.min(params.expires_in, secondsLeft) : secondsLeft;
  const scope = typeof params.scope === 'string' ? params.scope : input.configuredScope;
  return {
    fullProfile: passportProfileFromClaims(claims),
    params: { id_token: idToken, scope, token_type: 'Bearer', expires_in: expiresIn },
    accessToken,
    claims,
  };
}

/**
 * `providerInfo.sessionEndsInSeconds`: how long until the session ends past
 * any silent renewal, so the app can warn the user ahead of it. Omitted when
 * the session renews silently without an end.
 */
export function sessionEndsInSeconds(sessionEndsAt: number, now: number): number | undefined {
  if (!Number.isFinite(sessionEndsAt)) return undefined;
  return Math.max(0, Math.floor((sessionEndsAt - now) / 1000));
}

/** The sub of a Backstage token the auth backend just issued, e.g. `user:default/alice`. */
export function userEntityRefOf(identity: { token?: string } | undefined): string | undefined {
  if (!identity?.token) return undefined;
  const decoded = jwt.decode(identity.token);
  return typeof decoded === 'object' && typeof decoded?.sub === 'string' ? decoded.sub : undefined;
}
