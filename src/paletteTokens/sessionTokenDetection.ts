import jwt from 'jsonwebtoken';

/**
 * True when `value` is shaped like SpectroCloud Palette's session token: a
 * compact JWT whose header says `alg: HS256` (and `typ` JWT, or no `typ`) with
 * a JSON object payload. Decoded only, never verified: we do not hold
 * Palette's HMAC key. Use it to recognise the token in the token response, not
 * to trust it.
 *
 * @public
 */
export function isSpectroCloudSessionToken(value: unknown): value is string {
  if (typeof value !== 'string' || value.split('.').length !== 3) return false;
  const decoded = decodeComplete(value);
  if (!decoded || typeof decoded.payload !== 'object' || decoded.payload === null) return false;
  const { alg, typ } = decoded.header;
  return alg === 'HS256' && (typ === undefined || /^(application\/)?jwt$/i.test(typ));
}

/** The session token's own `exp` in epoch milliseconds, if it has one. */
export function sessionTokenExpiry(token: string): number | undefined {
  const payload = decodeComplete(token)?.payload;
  const exp = typeof payload === 'object' && payload !== null ? payload.exp : undefined;
  return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : undefined;
}

// jsonwebtoken returns null for most malformed input but throws when the
// header parses and the payload does not; both mean "not a JWT" here.
function decodeComplete(value: string): jwt.Jwt | null {
  try {
    return jwt.decode(value, { complete: true });
  } catch {
    return null;
  }
}
