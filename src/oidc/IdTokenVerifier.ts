import { createPublicKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import jwt, { type JwtHeader, type JwtPayload, type SigningKeyCallback } from 'jsonwebtoken';
import jwksRsa, { type JwksClient } from 'jwks-rsa';
import { SpectroCloudTokenError } from '../errors';
import { createFreshConnectionAgent } from '../http/agents';
import { translateVerificationError } from './translateVerificationError';

export interface IdTokenClaims extends JwtPayload {
  sub: string;
  exp: number;
  iat: number;
  email?: string;
  email_verified?: boolean;
  name?: string;
  given_name?: string;
  family_name?: string;
  picture?: string;
  groups?: string[];
  nonce?: string;
  azp?: string;
}

export interface IdTokenVerifierOptions {
  clientId: string;
  /** allowed signing algorithms; asymmetric only */
  algorithms: string[];
  /** seconds */
  clockTolerance: number;
  /** milliseconds, for JWKS requests */
  timeout: number;
  /** resolves the expected issuer and the JWKS URL (discovery may still be running) */
  endpoints: () => Promise<{ issuer: string; jwksUrl: string }>;
  /** milliseconds since epoch; injectable for tests */
  clock?: () => number;
}

/**
 * Verifies SpectroCloud ID tokens before anything reads them: signature
 * through the published JWKS (cached, rate limited, one refetch for an
 * unknown `kid` so key rotation works), algorithm allow-list, `iss`, `aud`,
 * `azp`, `exp`, `iat`, `nbf` and `nonce`.
 */
/** Parsed keys are kept as long as jwks-rsa keeps the JWKS, so a key SpectroCloud withdraws stops working. */
const KEY_CACHE_MAX_AGE_MS = 10 * 60_000;
const KEY_CACHE_MAX_ENTRIES = 16;

export class IdTokenVerifier {
  private jwks?: { url: string; client: JwksClient; keys: Map<string, { key: KeyObject; at: number }> };
  private readonly clock: () => number;

  constructor(private readonly options: IdTokenVerifierOptions) {
    this.clock = options.clock ?? Date.now;
  }

  /** `nonce`: the value sent at sign-in; omit only when re-verifying a stored token on refresh. */
  async verify(idToken: unknown, expected: { nonce?: string } = {}): Promise<IdTokenClaims> {
    if (typeof idToken !== 'string' || idToken.length === 0) {
      throw new SpectroCloudTokenError('ERR_ID_TOKEN_MISSING', 'SpectroCloud returned no ID token; request the "openid" scope');
    }
    const { issuer, jwksUrl } = await this.options.endpoints();
    const nowSeconds = Math.floor(this.clock() / 1000);
    let claims: IdTokenClaims;
    // jsonwebtoken flattens key-callback errors into a message; keep the original.
    let keyError: unknown;
    try {
      claims = await new Promise<IdTokenClaims>((resolve, reject) => {
        jwt.verify(
          idToken,
          (header, callback) =>
            this.signingKey(jwksUrl, header, (error, key) => {
              keyError = error ?? undefined;
              callback(error, key);
            }),
          {
            algorithms: this.options.algorithms as jwt.Algorithm[],
            issuer,
            audience: this.options.clientId,
            clockTolerance: this.options.clockTolerance,
            clockTimestamp: nowSeconds,
          },
          (error, payload) => (error ? reject(error) : resolve(payload as IdTokenClaims)),
        );
      });
    } catch (error) {
      throw translateVerificationError(keyError ?? error);
    }
    this.checkClaims(claims, nowSeconds, expected.nonce);
    return claims;
  }

  /**
   * The signing keys SpectroCloud publishes, read as verify() reads them, and
   * whether this verifier could check a token with each one (an allowed
   * algorithm, a matching key type). For diagnostics (the doctor).
   */
  async publishedSigningKeys(): Promise<Array<{ kid?: string; alg?: string; keyType?: string; usable: boolean }>> {
    const { jwksUrl } = await this.options.endpoints();
    try {
      const keys = await this.jwksFor(jwksUrl).client.getSigningKeys();
      return keys.map(key => {
        const keyType = createPublicKey(key.getPublicKey()).asymmetricKeyType;
        const family = keyType === 'rsa' ? /^(RS|PS)/ : keyType === 'ec' ? /^ES/ : undefined;
        const usable = key.alg
          ? this.options.algorithms.includes(key.alg) && (family?.test(key.alg) ?? false)
          : this.options.algorithms.some(alg => family?.test(alg));
        return { kid: key.kid, alg: key.alg, keyType, usable };
      });
    } catch (error) {
      throw translateVerificationError(error);
    }
  }

  private checkClaims(claims: IdTokenClaims, nowSeconds: number, expectedNonce: string | undefined) {
    for (const claim of ['sub', 'exp', 'iat'] as const) {
      if (claims[claim] === undefined) throw claimError(claim, `missing required "${claim}" claim`);
    }
    if (typeof claims.exp !== 'number' || typeof claims.iat !== 'number') {
      throw claimError('exp', '"exp" and "iat" claims must be numbers');
    }
    if (claims.iat > nowSeconds + this.options.clockTolerance) {
      throw claimError('iat', '"iat" claim is in the future (check the clocks of Backstage and SpectroCloud)');
    }
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (audiences.length > 1 && claims.azp === undefined) {
      throw claimError('azp', 'missing required "azp" claim for an ID token with several audiences');
    }
    if (claims.azp !== undefined && claims.azp !== this.options.clientId) {
      throw claimError('azp', 'unexpected "azp" claim value: the ID token was issued to another client');
    }
    if (expectedNonce !== undefined) {
      if (typeof claims.nonce !== 'string') throw claimError('nonce', 'missing required "nonce" claim');
      if (!sameString(claims.nonce, expectedNonce)) {
        throw claimError('nonce', 'unexpected "nonce" claim value: the ID token was not issued for this sign-in');
      }
    }
  }

  private signingKey(jwksUrl: string, header: JwtHeader, callback: SigningKeyCallback) {
    // Refuse before fetching keys: a forged header must not make us call SpectroCloud.
    if (!this.options.algorithms.includes(header.alg)) {
      callback(new SpectroCloudTokenError('ERR_ID_TOKEN_ALGORITHM', `ID token uses algorithm "${header.alg}", which is not allowed`, { claim: 'alg' }));
      return;
    }
    const jwks = this.jwksFor(jwksUrl);
    // Parsing the PEM costs several times the RSA check itself: keep the KeyObject per kid.
    const cacheKey = header.kid ?? '';
    const cached = jwks.keys.get(cacheKey);
    if (cached && this.clock() - cached.at < KEY_CACHE_MAX_AGE_MS) {
      callback(null, cached.key);
      return;
    }
    jwks.client.getSigningKey(header.kid).then(
      signingKey => {
        const key = createPublicKey(signingKey.getPublicKey());
        if (jwks.keys.size >= KEY_CACHE_MAX_ENTRIES) jwks.keys.delete(jwks.keys.keys().next().value!);
        jwks.keys.set(cacheKey, { key, at: this.clock() });
        callback(null, key);
      },
      error => callback(error),
    );
  }

  private jwksFor(url: string) {
    if (this.jwks?.url !== url) {
      this.jwks = {
        url,
        keys: new Map(),
        client: jwksRsa({
          jwksUri: url,
          cache: true,
          cacheMaxEntries: KEY_CACHE_MAX_ENTRIES,
          cacheMaxAge: KEY_CACHE_MAX_AGE_MS,
          rateLimit: true,
          jwksRequestsPerMinute: 10,
          timeout: this.options.timeout,
          // JWKS fetches are rare: a fresh connection avoids reusing one the server already closed.
          requestAgent: createFreshConnectionAgent(url),
        }),
      };
    }
    return this.jwks;
  }
}

function claimError(claim: string, message: string) {
  return new SpectroCloudTokenError('ERR_ID_TOKEN_CLAIM', message, { claim });
}

function sameString(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
