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
  const decoded = jwt.decode(value, { complete: true });
  if (!decoded || typeof decoded.payload !== 'object' || decoded.payload === null) return false;
  const { alg, typ } = decoded.header;
  return alg === 'HS256' && (typ === undefined || /^(application\/)?jwt$/i.test(typ));
}

/** The session token's own `exp` in epoch milliseconds, if it has one. */
export function sessionTokenExpiry(token: string): number | undefined {
  const payload = jwt.decode(token, { json: true });
  const exp = payload?.exp;
  return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : undefined;
}
