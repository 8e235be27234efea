import jwt from 'jsonwebtoken';
import { SpectroCloudAuthError, SpectroCloudRefreshSessionError } from '../errors';
import type { EnvironmentParts } from '../environment/createEnvironmentParts';
import type { SessionPayload } from '../refreshSession/SealedSession';

/** epoch ms when `sessionDuration` ends a sign-in (infinity without one). */
export function durationEndsAt(parts: EnvironmentParts, session: { signedInAt: number }): number {
  const { sessionDurationMs } = parts.config;
  return sessionDurationMs === undefined ? Number.POSITIVE_INFINITY : session.signedInAt + sessionDurationMs;
}

/**
 * epoch ms when the session ends for good, past any silent renewal: the
 * earliest of the ID token's expiry (SpectroCloud: nothing renews it),
 * `sessionDuration` and the refresh token's lifetime when the IdP named it.
 * Infinity for a refresh token of unknown lifetime without `sessionDuration`.
 */
export function sessionEndOf(parts: EnvironmentParts, payload: SessionPayload): number {
  const durationEnd = durationEndsAt(parts, payload);
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

/** `sessionDuration` and sign-out, checked before anything is served from the cookie. */
export async function assertSessionLive(parts: EnvironmentParts, payload: SessionPayload): Promise<void> {
  if (parts.clock() >= durationEndsAt(parts, payload)) {
    throw new SpectroCloudRefreshSessionError(
      'ERR_SESSION_DURATION_EXCEEDED',
      'This sign-in is older than the configured sessionDuration; sign in again',
    );
  }
  // A store outage propagates (503 ERR_TOKEN_STORE_UNAVAILABLE): never serve a possibly revoked session.
  if (await parts.revokedSessions.isRevoked(payload.sessionId)) {
    throw new SpectroCloudRefreshSessionError('ERR_SESSION_REVOKED', 'This session was signed out; sign in again');
  }
}

/**
 * How long a sign-out is remembered for a session that has no end of its
 * own (a real refresh token and no `sessionDuration`); its refresh token is
 * also revoked at the issuer where the issuer allows it.
 */
const REVOCATION_KEPT_WITHOUT_END_MS = 90 * 24 * 60 * 60 * 1000;

/** Records the sign-out for every replica, kept as long as the session could otherwise live. */
export async function recordSignOut(parts: EnvironmentParts, payload: SessionPayload): Promise<void> {
  const now = parts.clock();
  const idTokenEnd = payload.kind === 'id-token' ? expiryOf(payload.idToken) : undefined;
  const until = Math.min(
    durationEndsAt(parts, payload),
    idTokenEnd === undefined ? now + REVOCATION_KEPT_WITHOUT_END_MS : idTokenEnd + parts.config.clockTolerance * 1000,
  );
  if (until <= now) return; // the session has ended anyway
  try {
    await parts.revokedSessions.revoke(payload.sessionId, until);
  } catch (error) {
    // Not a store outage (those are retried): sign-out goes on, the operator is told.
    parts.logger.warn(`Could not record the sign-out for other replicas (${SpectroCloudAuthError.from(error).code})`);
  }
}

/** `exp` in epoch ms of an ID token this backend verified and sealed itself. */
function expiryOf(idToken: string): number | undefined {
  const decoded = jwt.decode(idToken);
  return typeof decoded === 'object' && typeof decoded?.exp === 'number' ? decoded.exp * 1000 : undefined;
}
