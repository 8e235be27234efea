import { randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';

/**
 * Palette's own token (the Palette token): an HS256 JWT that it hands out as the
 * `refresh_token` (and on some tenants as the code). The HMAC secret never
 * leaves the emulator, just as clients never hold Palette's.
 *
 * Each token belongs to a Palette session (`sid`). A renewal
 * (`GET /v1/auth/refresh/{token}`) gives a new token of the same session
 * ("same session id is maintained"); signing the session out refuses every
 * token of it from then on.
 */
export class PaletteTokens {
  readonly #secret = randomBytes(32);
  readonly #signedOut = new Set<string>();

  constructor(private readonly clock: () => number = () => Date.now()) {}

  sign(claims: Record<string, unknown>): string {
    // jsonwebtoken adds an iat unless noTimestamp is set, and drops a given one when it is.
    return jwt.sign(claims, this.#secret, { algorithm: 'HS256', noTimestamp: !('iat' in claims) });
  }

  /** The claims, or undefined when the token is not ours, has expired or its session was signed out. */
  verify(token: string): Record<string, unknown> | undefined {
    let claims: Record<string, unknown>;
    try {
      const verified = jwt.verify(token, this.#secret, { algorithms: ['HS256'], clockTimestamp: Math.floor(this.clock() / 1000) });
      if (typeof verified !== 'object') return undefined;
      claims = verified as Record<string, unknown>;
    } catch {
      return undefined; // any failure means "not a valid Palette token": the caller answers invalid_grant
    }
    return typeof claims.sid === 'string' && this.#signedOut.has(claims.sid) ? undefined : claims;
  }

  /** A fresh Palette token for a signed-in user, in a new Palette session. */
  issue(user: { id: string; email: string }, ttlSeconds: number, nowSeconds: number): string {
    return this.#issue({ sub: user.id, email: user.email, sid: randomBytes(12).toString('base64url') }, ttlSeconds, nowSeconds);
  }

  /** A new token of the same session for a live one; undefined for an expired, foreign or signed-out one. */
  renew(token: string, ttlSeconds: number, nowSeconds: number): string | undefined {
    const claims = this.verify(token);
    if (!claims || typeof claims.sub !== 'string' || typeof claims.email !== 'string') return undefined;
    return this.#issue({ sub: claims.sub, email: claims.email, sid: claims.sid }, ttlSeconds, nowSeconds);
  }

  /** Ends the token's session (whatever its state): none of its tokens is accepted any more. */
  signOut(token: string): void {
    const sid = (jwt.decode(token) as { sid?: unknown } | null)?.sid;
    if (typeof sid === 'string') this.#signedOut.add(sid);
  }

  #issue(claims: Record<string, unknown>, ttlSeconds: number, nowSeconds: number): string {
    return this.sign({
      ...claims,
      iat: nowSeconds,
      exp: nowSeconds + ttlSeconds,
      iss: 'spectrocloud-session',
      // Two tokens in the same second must still differ.
      jti: randomBytes(12).toString('base64url'),
    });
  }
}
