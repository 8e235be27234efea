/**
 * The capture path of the Palette token (SpectroCloud's HS256 token), in one place:
 * recognise it in the token response (detection), keep it server-side keyed
 * by the verified identity (capture), never past its own `exp` (clamp).
 */
import type { Request } from 'express';
import jwt from 'jsonwebtoken';
import type { SpectroCloudLogger } from '../../logger';
import { clearPaletteTokenCookie, PALETTE_TOKEN_COOKIE_NAME, paletteTokenCookieOptions } from './paletteTokenCookie';
import { DEFAULT_RETRY_FOR_MS, PendingStoreWrites } from '../../ttlStore/pendingWrites';
import type { PaletteTokenCache } from '../stores/paletteTokenCache';
import { paletteTokenExpiry } from '../stores/paletteTokenExpiry';

/** Receives the Palette token at sign-in and drops it at sign-out. */
export interface PaletteTokenCapture {
  remember(input: {
    req: Request;
    userEntityRef?: string;
    email: string;
    paletteToken: string;
    /** epoch ms: the earlier of the Palette token's and the ID token's expiry */
    expiresAt: number;
  }): Promise<void>;
  forget(input: { req: Request; userEntityRef?: string; email?: string }): Promise<void>;
}

/**
 * SpectroCloud hands out its HS256 Palette token as the `refresh_token`, and
 * some tenants as the authorization code too; nothing else is sniffed for it.
 */
export function findPaletteToken(...candidates: unknown[]): string | undefined {
  return candidates.find(isPaletteToken) as string | undefined;
}

/**
 * Keeps the Palette token server-side at sign-in, keyed by the
 * verified identity. Only with `paletteTokenCookie` (config
 * `tokenStore.paletteTokenCookie: true`, or its old name `apiTokenCookie`, for code written against the seeds) is
 * the raw token also written to the seed's `spectrocloud-api-token` cookie,
 * the safe way (HttpOnly, SameSite=Lax, Secure over https, API path only,
 * same lifetime as the token). Sign-out clears that cookie either way, so
 * turning the setting off removes cookies set while it was on.
 *
 * A store outage never fails a sign-in: the write waits in `pendingWrites`
 * and is retried in the background (30 s by default) until the store is back.
 * Meanwhile backend plugins answer 503 + `Retry-After` (the store is down for
 * them too); if the store stays down longer, the write is given up with a log
 * line and the `tokenStore.writesLost` counter, and plugins later ask that
 * user to sign in again (401 + `X-SpectroCloud-ReAuth-Required`). A sign-out
 * during the outage replaces the user's pending write.
 */
export function createPaletteTokenCapture(options: {
  cache: PaletteTokenCache;
  /** true when the backend is served over https */
  secure: boolean;
  /** the backend plugin API path the cookie is scoped to */
  cookiePath?: string;
  /** also write the raw token to the `spectrocloud-api-token` cookie; default false */
  paletteTokenCookie?: boolean;
  logger: Pick<SpectroCloudLogger, 'info' | 'warn'>;
  clock?: () => number;
  /** Retry of writes that met a store outage. Default: 30 s, at most 1000 waiting. */
  pendingWrites?: PendingStoreWrites;
}): PaletteTokenCapture {
  const { cache, secure, cookiePath, logger } = options;
  const clock = options.clock ?? Date.now;
  const pending = options.pendingWrites ?? new PendingStoreWrites({ what: 'Palette token', logger, clock });
  return {
    async remember({ req, userEntityRef, email, paletteToken, expiresAt }) {
      const until = Math.min(expiresAt, paletteTokenExpiry(paletteToken) ?? expiresAt);
      try {
        await pending.write(userKey(userEntityRef, email), () => cache.remember({ userEntityRef, email, sessionToken: paletteToken, expiresAt: until }), until);
      } catch (error) {
        logger.warn(`Could not keep the Palette token (${errorCode(error)}); backend plugins will ask the user to sign in again`);
        return;
      }
      if (options.paletteTokenCookie) req.res?.cookie(PALETTE_TOKEN_COOKIE_NAME, paletteToken, paletteTokenCookieOptions({ secure, path: cookiePath, maxAgeMs: Math.max(0, until - clock()) }));
    },
    async forget({ req, userEntityRef, email }) {
      if (req.res) clearPaletteTokenCookie(req.res, { secure, path: cookiePath });
      if (!userEntityRef && !email) return;
      // Keep the forget as long as a Palette token could still be stored for the user.
      const until = clock() + DEFAULT_RETRY_FOR_MS * 2;
      try {
        await pending.write(userKey(userEntityRef, email), () => cache.forget({ userEntityRef, email }), until);
      } catch (error) {
        logger.warn(`Could not drop the Palette token at sign-out (${errorCode(error)})`);
      }
    },
  };
}

/** One pending write per user: the newest sign-in or sign-out wins. */
function userKey(userEntityRef: string | undefined, email: string | undefined): string {
  return userEntityRef ? `ref:${userEntityRef.toLowerCase()}` : `email:${(email ?? '').toLowerCase()}`;
}

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[A-Z][A-Z0-9_]{0,63}$/.test(code) ? code : 'ERR_INTERNAL';
}

/**
 * True when `value` is shaped like a Palette token: a
 * compact JWT whose header says `alg: HS256` (and `typ` JWT, or no `typ`) with
 * a JSON object payload. Decoded only, never verified: we do not hold
 * Palette's HMAC key. Use it to recognise the token in the token response, not
 * to trust it.
 *
 * @internal
 */
export function isPaletteToken(value: unknown): value is string {
  if (typeof value !== 'string' || value.split('.').length !== 3) return false;
  const decoded = decodeComplete(value);
  if (!decoded || typeof decoded.payload !== 'object' || decoded.payload === null) return false;
  const { alg, typ } = decoded.header;
  return alg === 'HS256' && (typ === undefined || /^(application\/)?jwt$/i.test(typ));
}

export { paletteTokenExpiry };

// jsonwebtoken returns null for most malformed input but throws when the
// header parses and the payload does not; both mean "not a JWT" here.
function decodeComplete(value: string): jwt.Jwt | null {
  try {
    return jwt.decode(value, { complete: true });
  } catch {
    return null;
  }
}
