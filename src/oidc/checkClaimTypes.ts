import { SpectroCloudTokenError } from '../errors';

/** Printable ASCII (space to tilde): OIDC Core section 2 counts `sub` in ASCII characters. */
const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;
const MAX_SUBJECT_LENGTH = 255;

/**
 * The types RFC 7519 and OIDC Core section 2 give the claims we read, checked
 * on verified claims before any of them is used:
 * - `exp`, `iat` (required), `nbf`, `auth_time`: NumericDate, a finite
 *   number of seconds (JSON can spell an infinite one, `1e400`; a string
 *   date is not one);
 * - `iss`, `sub`: StringOrURI (a string; one with a colon must be a URI);
 * - `sub`: a locally unique identifier, so never empty, whitespace-only,
 *   over 255 characters or outside printable ASCII;
 * - `aud`: a string or an array of strings (jsonwebtoken refuses one without our client id); `azp`, `nonce`, `acr`:
 *   strings.
 */
export function checkClaimTypes(claims: Record<string, unknown>): void {
  for (const claim of ['exp', 'iat', 'nbf', 'auth_time']) {
    const value = claims[claim];
    if (value === undefined && claim !== 'exp' && claim !== 'iat') continue;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw claimTypeError(claim, `"${claim}" claim must be a NumericDate (a finite number of seconds)`);
    }
  }
  for (const claim of ['iss', 'sub']) {
    if (!isStringOrUri(claims[claim])) throw claimTypeError(claim, `"${claim}" claim must be a StringOrURI`);
  }
  checkSubject(claims.sub as string);
  const { aud } = claims;
  const audiences = Array.isArray(aud) ? aud : [aud];
  if (audiences.some(value => !isStringOrUri(value))) {
    throw claimTypeError('aud', '"aud" claim must be a string or an array of strings');
  }
  for (const claim of ['azp', 'nonce', 'acr']) {
    if (claims[claim] !== undefined && typeof claims[claim] !== 'string') throw claimTypeError(claim, `"${claim}" claim must be a string`);
  }
}

function checkSubject(sub: string): void {
  if (sub.trim() === '') throw claimTypeError('sub', '"sub" claim is empty or only whitespace, which cannot identify a user');
  if (sub.length > MAX_SUBJECT_LENGTH) throw claimTypeError('sub', `"sub" claim is longer than the ${MAX_SUBJECT_LENGTH} characters OIDC Core allows`);
  if (!PRINTABLE_ASCII.test(sub)) throw claimTypeError('sub', '"sub" claim contains characters outside printable ASCII');
}

/** RFC 7519 section 2: any string, but one that contains ":" must be a URI. */
function isStringOrUri(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  if (!value.includes(':')) return true;
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

function claimTypeError(claim: string, message: string): SpectroCloudTokenError {
  return new SpectroCloudTokenError('ERR_ID_TOKEN_CLAIM', message, { claim });
}
