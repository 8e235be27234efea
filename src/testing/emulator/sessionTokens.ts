import { randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';

/**
 * Palette's internal session token: an HS256 JWT that it hands out as the
 * `refresh_token` (and on some tenants as the code). The HMAC secret never
 * leaves the emulator, just as clients never hold Palette's.
 */
export class SessionTokens {
  readonly #secret = randomBytes(32);

  constructor(private readonly clock: () => number = () => Date.now()) {}

  sign(claims: Record<string, unknown>): string {
    // jsonwebtoken adds an iat unless noTimestamp is set, and drops a given one when it is.
    return jwt.sign(claims, this.#secret, { algorithm: 'HS256', noTimestamp: !('iat' in claims) });
  }

  /** The claims, or undefined when the token is not ours or has expired. */
  verify(token: string): Record<string, unknown> | undefined {
    try {
      const claims = jwt.verify(token, this.#secret, { algorithms: ['HS256'], clockTimestamp: Math.floor(this.clock() / 1000) });
      return typeof claims === 'object' ? (claims as Record<string, unknown>) : undefined;
    } catch {
      return undefined; // any failure means "not a valid session token": the caller answers invalid_grant
    }
  }

  /** A fresh session token for a signed-in user. */
  issue(user: { id: string; email: string }, ttlSeconds: number, nowSeconds: number): string {
    return this.sign({
      sub: user.id,
      email: user.email,
      iat: nowSeconds,
      exp: nowSeconds + ttlSeconds,
      iss: 'spectrocloud-session',
      // Two sign-ins in the same second must still give two different tokens.
      jti: randomBytes(12).toString('base64url'),
    });
  }
}
