// Prototypes of the fix proposed for src/oidc/IdTokenVerifier.ts, measured by
// the bench next to the real verifier. NOT used by the package: they exist to
// show what the change buys. Both keep the same checks the real verifier
// makes (alg allow-list, signature, iss, aud, azp, exp, iat, nbf, nonce).
import { createPublicKey, timingSafeEqual, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import jwksRsa, { type JwksClient } from 'jwks-rsa';

interface Options {
  clientId: string;
  issuer: string;
  jwksUrl: string;
  clockTolerance: number;
}

abstract class CachedKeyVerifier {
  /** kid -> KeyObject, filled once per kid from the JWKS (jwks-rsa keeps the fetch, cache and rate limit). */
  private readonly keys = new Map<string, KeyObject>();
  private readonly jwks: JwksClient;

  constructor(protected readonly options: Options) {
    this.jwks = jwksRsa({ jwksUri: options.jwksUrl, cache: true, cacheMaxEntries: 16, rateLimit: true, jwksRequestsPerMinute: 10 });
  }

  protected keyFor(kid: string | undefined): KeyObject | Promise<KeyObject> {
    const cached = kid === undefined ? undefined : this.keys.get(kid);
    if (cached) return cached;
    return this.jwks.getSigningKey(kid).then(signingKey => {
      const key = createPublicKey(signingKey.getPublicKey());
      if (kid !== undefined && this.keys.size < 16) this.keys.set(kid, key);
      return key;
    });
  }

  protected checkClaims(claims: Record<string, any>, nowSeconds: number, nonce: string | undefined) {
    const { clockTolerance, clientId } = this.options;
    if (typeof claims.sub !== 'string' || typeof claims.exp !== 'number' || typeof claims.iat !== 'number') throw new Error('missing claims');
    if (claims.iat > nowSeconds + clockTolerance) throw new Error('"iat" in the future');
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (audiences.length > 1 && claims.azp === undefined) throw new Error('missing "azp"');
    if (claims.azp !== undefined && claims.azp !== clientId) throw new Error('unexpected "azp"');
    if (nonce !== undefined) {
      if (typeof claims.nonce !== 'string') throw new Error('missing "nonce"');
      const a = Buffer.from(claims.nonce);
      const b = Buffer.from(nonce);
      if (a.length !== b.length || !timingSafeEqual(a, b)) throw new Error('unexpected "nonce"');
    }
  }
}

/** The minimal change: same jsonwebtoken call, but handed a cached KeyObject instead of a PEM string. */
export class KeyObjectCacheVerifier extends CachedKeyVerifier {
  async verify(token: string, expected: { nonce?: string } = {}) {
    const decoded = jwt.decode(token, { complete: true });
    if (!decoded || decoded.header.alg !== 'RS256') throw new Error('not an RS256 JWT');
    const key = await this.keyFor(decoded.header.kid);
    const nowSeconds = Math.floor(Date.now() / 1000);
    const claims = jwt.verify(token, key, {
      algorithms: ['RS256'],
      issuer: this.options.issuer,
      audience: this.options.clientId,
      clockTolerance: this.options.clockTolerance,
      clockTimestamp: nowSeconds,
    }) as Record<string, any>;
    this.checkClaims(claims, nowSeconds, expected.nonce);
    return claims;
  }
}

/** Further: decode once and call crypto.verify directly (jsonwebtoken would then only be used for errors). */
export class DirectVerifier extends CachedKeyVerifier {
  async verify(token: string, expected: { nonce?: string } = {}) {
    const firstDot = token.indexOf('.');
    const lastDot = token.lastIndexOf('.');
    if (firstDot < 0 || lastDot === firstDot) throw new Error('not a JWT');
    const header = JSON.parse(Buffer.from(token.slice(0, firstDot), 'base64url').toString('utf8'));
    if (header.alg !== 'RS256') throw new Error('algorithm not allowed');
    const key = await this.keyFor(header.kid);
    const ok = cryptoVerify('RSA-SHA256', Buffer.from(token.slice(0, lastDot)), key, Buffer.from(token.slice(lastDot + 1), 'base64url'));
    if (!ok) throw new Error('invalid signature');
    const claims = JSON.parse(Buffer.from(token.slice(firstDot + 1, lastDot), 'base64url').toString('utf8'));
    const nowSeconds = Math.floor(Date.now() / 1000);
    const { issuer, clientId, clockTolerance } = this.options;
    if (claims.iss !== issuer) throw new Error('unexpected "iss"');
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!audiences.includes(clientId)) throw new Error('unexpected "aud"');
    if (typeof claims.exp === 'number' && claims.exp + clockTolerance <= nowSeconds) throw new Error('expired');
    if (typeof claims.nbf === 'number' && claims.nbf - clockTolerance > nowSeconds) throw new Error('not yet valid');
    this.checkClaims(claims, nowSeconds, expected.nonce);
    return claims;
  }
}
