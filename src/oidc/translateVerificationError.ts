import jwt from 'jsonwebtoken';
import { SpectroCloudAuthError, SpectroCloudNetworkError, SpectroCloudTokenError } from '../errors';

/**
 * The one place where jsonwebtoken and jwks-rsa errors become ours. Their
 * messages can echo expected values, so none is passed through; the
 * original stays available as `cause`.
 */
export function translateVerificationError(error: unknown): SpectroCloudAuthError {
  if (error instanceof SpectroCloudAuthError) return error;
  const cause = error;
  if (error instanceof jwt.TokenExpiredError) {
    return new SpectroCloudTokenError('ERR_ID_TOKEN_EXPIRED', 'ID token has expired ("exp" claim is in the past)', { claim: 'exp', cause });
  }
  if (error instanceof jwt.NotBeforeError) {
    return new SpectroCloudTokenError('ERR_ID_TOKEN_CLAIM', 'ID token is not valid yet ("nbf" claim is in the future)', { claim: 'nbf', cause });
  }
  const name = (error as { name?: string })?.name ?? '';
  const message = (error as { message?: string })?.message ?? '';
  if (name === 'SigningKeyNotFoundError') {
    return new SpectroCloudTokenError('ERR_ID_TOKEN_SIGNATURE', 'ID token is signed with a key that SpectroCloud does not publish (unknown "kid")', { cause });
  }
  if (name === 'JwksError' || name === 'JwksRateLimitError' || name === 'ArgumentError' || name === 'AbortError' || name === 'TimeoutError' || /ECONN|ETIMEDOUT|socket|fetch failed|network|timeout/i.test(message)) {
    return new SpectroCloudNetworkError('ERR_JWKS_UNAVAILABLE', "Could not load SpectroCloud's signing keys (JWKS endpoint unreachable or invalid)", { cause });
  }
  if (error instanceof jwt.JsonWebTokenError) {
    if (message === 'invalid signature') {
      return new SpectroCloudTokenError('ERR_ID_TOKEN_SIGNATURE', 'ID token signature is invalid', { cause });
    }
    if (message === 'invalid algorithm' || message === 'jwt signature is required' || message.includes('must be a symmetric key') || message.includes('asymmetric key')) {
      return new SpectroCloudTokenError('ERR_ID_TOKEN_ALGORITHM', 'ID token uses an algorithm that is not allowed', { cause });
    }
    if (message.startsWith('jwt audience invalid')) {
      return new SpectroCloudTokenError('ERR_ID_TOKEN_CLAIM', 'unexpected "aud" claim value: the ID token was not issued for this client', { claim: 'aud', cause });
    }
    // RFC 7519 NumericDate: jsonwebtoken checks the type of `exp` and `nbf` before their value.
    const numericDate = /^invalid (exp|nbf) value$/.exec(message);
    if (numericDate) {
      return new SpectroCloudTokenError('ERR_ID_TOKEN_CLAIM', `"${numericDate[1]}" claim must be a NumericDate (a finite number of seconds)`, { claim: numericDate[1], cause });
    }
    if (message.startsWith('jwt issuer invalid')) {
      return new SpectroCloudTokenError('ERR_ID_TOKEN_CLAIM', 'unexpected "iss" claim value', { claim: 'iss', cause });
    }
  }
  return new SpectroCloudTokenError('ERR_ID_TOKEN_INVALID', 'ID token is malformed or could not be verified', { cause });
}
