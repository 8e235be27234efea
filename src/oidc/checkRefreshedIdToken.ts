import jwt from 'jsonwebtoken';
import { SpectroCloudRefreshSessionError, SpectroCloudTokenError } from '../errors';
import type { IdTokenClaims } from './IdTokenVerifier';

/**
 * OIDC Core 12.2: an ID token from a refresh grant, already verified like
 * any other, must continue the original sign-in: same `iss`, `sub`, `aud`
 * and `azp` (none when the original had none), an `iat` no older than the
 * original's, the original `auth_time` if it carries one, and no `nonce`
 * other than the original's. `original` is the ID token this backend
 * verified at sign-in and sealed in the refresh cookie, so it is only decoded.
 */
export function checkRefreshedIdToken(original: string, refreshed: IdTokenClaims): void {
  const before = jwt.decode(original);
  if (!before || typeof before !== 'object') {
    throw new SpectroCloudRefreshSessionError('ERR_SESSION_INVALID', 'The stored sign-in cannot be read; sign in again');
  }
  if (refreshed.sub !== before.sub) {
    throw new SpectroCloudRefreshSessionError('ERR_SESSION_SUBJECT_CHANGED', 'The refreshed ID token is for another user; sign in again');
  }
  if (refreshed.iss !== before.iss) throw changed('iss');
  if (!sameAudience(refreshed.aud, before.aud)) throw changed('aud');
  if (refreshed.azp !== before.azp) throw changed('azp');
  if (typeof before.iat === 'number' && refreshed.iat < before.iat) throw changed('iat');
  if (refreshed.auth_time !== undefined && refreshed.auth_time !== before.auth_time) throw changed('auth_time');
  if (refreshed.nonce !== undefined && refreshed.nonce !== before.nonce) throw changed('nonce');
}

function sameAudience(a: unknown, b: unknown): boolean {
  const list = (value: unknown) => (Array.isArray(value) ? [...value] : [value]).map(String).sort();
  return JSON.stringify(list(a)) === JSON.stringify(list(b));
}

/** The session cannot go on (401, sign in again); the claim is named in the message and on the cause. */
function changed(claim: string): SpectroCloudRefreshSessionError {
  const message = `unexpected "${claim}" claim value: the refreshed ID token does not continue the original sign-in (OIDC Core 12.2)`;
  return new SpectroCloudRefreshSessionError('ERR_SESSION_UNVERIFIABLE', `${message}; sign in again`, {
    cause: new SpectroCloudTokenError('ERR_ID_TOKEN_CLAIM', message, { claim }),
  });
}
