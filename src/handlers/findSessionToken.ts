import jwt from 'jsonwebtoken';

/**
 * SpectroCloud hands out its HS256 session token as the `refresh_token`, and
 * some tenants as the authorization code too. It is recognised by its JWT
 * header alone: we cannot verify it (SpectroCloud holds the HMAC key), and
 * nothing else is sniffed for it.
 */
export function findSessionToken(...candidates: unknown[]): string | undefined {
  return candidates.find(isSpectroCloudSessionToken) as string | undefined;
}

export function isSpectroCloudSessionToken(value: unknown): value is string {
  if (typeof value !== 'string' || value.split('.').length !== 3) return false;
  const decoded = jwt.decode(value, { complete: true });
  return decoded !== null && decoded.header.alg === 'HS256';
}
