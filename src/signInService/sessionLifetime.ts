import jwt from 'jsonwebtoken';
import type { SessionPayload } from '../refreshSession/SealedSession';
import type { SignInSettings } from './ports';

/** What the lifetime rules read: `sessionDuration` (and the clock tolerance a sign-out is kept past the ID token's end). */
export interface SessionLifetime {
  readonly config: Pick<SignInSettings, 'sessionDurationMs' | 'clockTolerance'>;
}

/** epoch ms when `sessionDuration` ends a sign-in (infinity without one). */
export function durationEndsAt(lifetime: SessionLifetime, session: { signedInAt: number }): number {
  const { sessionDurationMs } = lifetime.config;
  return sessionDurationMs === undefined ? Number.POSITIVE_INFINITY : session.signedInAt + sessionDurationMs;
}

/**
 * epoch ms when the session ends for good, past any silent renewal: the
 * earliest of the ID token's expiry (SpectroCloud: nothing renews it),
 * `sessionDuration` and the refresh token's lifetime when the IdP named it.
 * Infinity for a refresh token of unknown lifetime without `sessionDuration`.
 */
export function sessionEndOf(lifetime: SessionLifetime, payload: SessionPayload): number {
  const durationEnd = durationEndsAt(lifetime, payload);
  if (payload.kind === 'id-token') return Math.min(durationEnd, expiryOf(payload.idToken) ?? durationEnd);
  return Math.min(durationEnd, payload.refreshTokenEndsAt ?? Number.POSITIVE_INFINITY);
}

/**
 * epoch ms when a refresh token from a token response expires, when the IdP
 * said (`refresh_expires_in`, as Keycloak sends it; not in RFC 6749).
 */
export function refreshTokenEnd(now: number, params: Record<string, unknown>): number | undefined {
  const seconds = params.refresh_expires_in;
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0 ? now + seconds * 1000 : undefined;
}

/**
 * How long a sign-out is remembered for a session that has no end of its
 * own (a real refresh token and no `sessionDuration`); its refresh token is
 * also revoked at the issuer where the issuer allows it.
 */
const REVOCATION_KEPT_WITHOUT_END_MS = 90 * 24 * 60 * 60 * 1000;

/** epoch ms until which a sign-out must be remembered: as long as the session could otherwise live. */
export function revocationKeptUntil(lifetime: SessionLifetime, payload: SessionPayload, now: number): number {
  const idTokenEnd = payload.kind === 'id-token' ? expiryOf(payload.idToken) : undefined;
  return Math.min(
    durationEndsAt(lifetime, payload),
    idTokenEnd === undefined ? now + REVOCATION_KEPT_WITHOUT_END_MS : idTokenEnd + lifetime.config.clockTolerance * 1000,
  );
}

/** `exp` in epoch ms of an ID token this backend verified and sealed itself. */
function expiryOf(idToken: string): number | undefined {
  const decoded = jwt.decode(idToken);
  return typeof decoded === 'object' && typeof decoded?.exp === 'number' ? decoded.exp * 1000 : undefined;
}
