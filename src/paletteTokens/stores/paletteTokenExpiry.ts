import jwt from 'jsonwebtoken';

/**
 * The Palette token's own `exp` in epoch milliseconds, if it has one. Here, beside the stores that read it for
 * an entry's expiry, so that a store never imports the capture above it (the capture re-exports it).
 */
export function paletteTokenExpiry(token: string): number | undefined {
  let payload: unknown;
  try {
    payload = jwt.decode(token, { complete: true })?.payload;
  } catch {
    // jsonwebtoken throws when the header parses and the payload does not: not a JWT, so no expiry.
    return undefined;
  }
  const exp = typeof payload === 'object' && payload !== null ? (payload as { exp?: unknown }).exp : undefined;
  return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : undefined;
}
