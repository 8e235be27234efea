import type { IdTokenClaims } from '../oidc/IdTokenVerifier';

/**
 * What the refresh cookie remembers of the last grant of a refresh-token
 * session (the sign-in's code exchange or a refresh grant), so that a refresh
 * soon after it can serve the same, still valid tokens instead of asking the
 * IdP again. Sealed in the cookie with the rest of the session.
 */
export interface LastGrant {
  /** epoch ms of the grant */
  at: number;
  /** epoch ms until which its ID token and access token both stay valid, minus a margin */
  freshUntil: number;
  /** profile claims the userinfo endpoint added to the verified ID token's, re-applied on reuse */
  userInfo?: Record<string, unknown>;
}

/** A token is not served again when it has less than this left: the app would have to refresh at once. */
export const MIN_TOKEN_LIFETIME_LEFT_MS = 60_000;

/** What to remember of a grant that just succeeded (its ID token verified, userinfo applied). */
export function lastGrant(input: {
  now: number;
  verified: IdTokenClaims;
  /** claims after userinfo: `verified` plus what userinfo added */
  claims: IdTokenClaims;
  /** the token response's `expires_in` (seconds), when it gave one */
  expiresIn?: unknown;
}): LastGrant {
  const { now, verified, claims, expiresIn } = input;
  const accessTokenEnds = typeof expiresIn === 'number' && Number.isFinite(expiresIn) ? now + expiresIn * 1000 : Number.POSITIVE_INFINITY;
  const userInfo = Object.fromEntries(Object.entries(claims).filter(([claim, value]) => verified[claim] !== value));
  return {
    at: now,
    freshUntil: Math.min(verified.exp * 1000, accessTokenEnds) - MIN_TOKEN_LIFETIME_LEFT_MS,
    ...(Object.keys(userInfo).length > 0 ? { userInfo } : {}),
  };
}

/**
 * Whether a refresh may serve the last grant's tokens again: within
 * `reuseForMs` of it (`refreshGrantInterval`; 0 turns the shortcut off) and
 * while both its tokens stay valid. `reuseForMs` is also how late an IdP-side
 * revocation (refresh token revoked, user disabled at the IdP) is noticed;
 * sign-out and `sessionDuration` are checked before and never wait for it.
 * A grant dated in the future (the clock moved back) is not reused.
 */
export function mayReuseGrant(grant: LastGrant | undefined, now: number, reuseForMs: number): grant is LastGrant {
  if (!grant || reuseForMs <= 0) return false;
  const age = now - grant.at;
  return age >= 0 && age < reuseForMs && now < grant.freshUntil;
}

/** The verified ID token's claims with the userinfo claims the grant added, as `addUserInfoClaims` gave them then. */
export function withRememberedUserInfo(verified: IdTokenClaims, grant: LastGrant): IdTokenClaims {
  return grant.userInfo ? { ...verified, ...grant.userInfo } : verified;
}

/** The token response's `expires_in` a reused grant has left, for the app's next refresh. */
export function reusedGrantParams(grant: LastGrant, now: number): { expires_in: number } {
  return { expires_in: Math.max(0, Math.floor((grant.freshUntil + MIN_TOKEN_LIFETIME_LEFT_MS - now) / 1000)) };
}
