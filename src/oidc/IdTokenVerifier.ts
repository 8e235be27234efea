import { timingSafeEqual } from 'node:crypto';
import jwt, { type JwtPayload } from 'jsonwebtoken';
import { SpectroCloudTokenError } from '../errors';
import {
  DEFAULT_JWKS_CACHE_MAX_AGE_SECONDS,
  DEFAULT_JWKS_REFETCH_INTERVAL_SECONDS,
  DEFAULT_MAX_ID_TOKEN_BYTES,
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_TIMEOUT_MS,
} from '../config/readEnvironmentConfig';
import { OutboundClient } from '../http/OutboundClient';
import { checkClaimTypes } from './checkClaimTypes';
import { checkJoseHeader } from './checkJoseHeader';
import { SigningKeys } from './SigningKeys';
import type { KeyRefusal } from './signingKeyRules';
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
  /** when the user authenticated at SpectroCloud (seconds); checked when `max_age` was requested */
  auth_time?: number;
  acr?: string;
}

export interface IdTokenVerifierOptions {
  clientId: string;
  /** allowed signing algorithms; asymmetric only */
  algorithms: string[];
  /** seconds */
  clockTolerance: number;
  /** JWKS requests go through it. Default: the package's default deadline and size limit, proxy from the environment. */
  http?: OutboundClient;
  /** bytes; a longer ID token is refused before it is parsed. Default 16 KiB. */
  maxIdTokenBytes?: number;
  /** milliseconds a fetched JWKS is used (a withdrawn key stops working by then). Default 10 minutes. */
  jwksCacheMaxAgeMs?: number;
  /** milliseconds: an unknown `kid` refetches the JWKS at most once per this interval. Default 1 minute. */
  jwksRefetchIntervalMs?: number;
  /** resolves the expected issuer and the JWKS URL (discovery may still be running) */
  endpoints: () => Promise<{ issuer: string; jwksUrl: string }>;
  /** the same, when they are resolved already and `endpoints` would answer them at once; else undefined (then `endpoints` is awaited) */
  resolvedEndpoints?: () => { issuer: string; jwksUrl: string } | undefined;
  /** milliseconds since epoch; injectable for tests */
  clock?: () => number;
  /**
   * Require `email_verified: true` in every ID token (config
   * `requireVerifiedEmail`). Default false: an absent claim is accepted;
   * `email_verified: false` is refused at sign-in either way (see profile.ts).
   */
  requireVerifiedEmail?: boolean;
}

/**
 * Verifies SpectroCloud ID tokens before anything reads them (OIDC Core
 * 3.1.3.7): size, the JOSE header (RFC 7515 section 4, {@link checkJoseHeader}:
 * algorithm allow-list, no `crit`, no embedded keys), signature through the
 * published JWKS (see {@link SigningKeys}), `iss`, `aud`, `azp`, `exp`,
 * `iat`, `nbf`, `nonce`, `auth_time` against `max_age`, and the claims'
 * types ({@link checkClaimTypes}).
 */
export class IdTokenVerifier {
  private keys?: { url: string; signingKeys: SigningKeys };
  private readonly clock: () => number;

  constructor(private readonly options: IdTokenVerifierOptions) {
    this.clock = options.clock ?? Date.now;
  }

  /**
   * `nonce`: the value sent at sign-in; omit only when re-verifying a stored token on refresh.
   * `maxAge`: the `max_age` sent at sign-in (seconds); `auth_time` must then be that recent.
   * `acrValues`: the `acr_values` sent at sign-in; `acr` must then be one of them (OIDC Core 3.1.3.7 step 12).
   */
  async verify(idToken: unknown, expected: { nonce?: string; maxAge?: number; acrValues?: string[] } = {}): Promise<IdTokenClaims> {
    if (typeof idToken !== 'string' || idToken.length === 0) {
      throw new SpectroCloudTokenError('ERR_ID_TOKEN_MISSING', 'SpectroCloud returned no ID token; request the "openid" scope');
    }
    // Before any parsing: decoding and verifying cost grow with the token.
    // A UTF-16 code unit is at most 3 UTF-8 bytes, so a short token needs no count.
    const maxIdTokenBytes = this.options.maxIdTokenBytes ?? DEFAULT_MAX_ID_TOKEN_BYTES;
    if (idToken.length * 3 > maxIdTokenBytes) {
      const bytes = Buffer.byteLength(idToken);
      if (bytes > maxIdTokenBytes) {
        throw new SpectroCloudTokenError(
          'ERR_ID_TOKEN_TOO_LARGE',
          `ID token is ${bytes} bytes, more than the ${maxIdTokenBytes} allowed (maxIdTokenBytes); it was not read`,
        );
      }
    }
    // At a sign-in the code exchange has resolved the endpoints already: then no wait.
    const { issuer, jwksUrl } = this.options.resolvedEndpoints?.() ?? (await this.options.endpoints());
    const nowSeconds = Math.floor(this.clock() / 1000);
    const verified = this.verifyWithJsonWebToken(idToken, issuer, jwksUrl, nowSeconds);
    // With the key in the cache jsonwebtoken has answered already; a promise only when it waits for keys.
    const claims = verified instanceof Promise ? await verified : verified;
    this.checkClaims(claims, nowSeconds, expected.nonce);
    if (expected.maxAge !== undefined) this.checkAuthTime(claims, nowSeconds, expected.maxAge);
    if (expected.acrValues?.length && !expected.acrValues.includes(claims.acr as string)) {
      throw claimError('acr', claims.acr === undefined ? 'missing required "acr" claim (acr_values was requested)' : 'unexpected "acr" claim value: SpectroCloud did not authenticate the user at a level acr_values asked for');
    }
    return claims;
  }

  /**
   * The signing keys SpectroCloud publishes, read as verify() reads them, and
   * whether this verifier could check a token with each one (an allowed
   * algorithm, a matching key type). For diagnostics (the doctor).
   */
  async publishedSigningKeys(): Promise<Array<{ kid?: string; alg?: string; keyType?: string; refused?: KeyRefusal; usable: boolean }>> {
    const { jwksUrl } = await this.options.endpoints();
    let keys: Awaited<ReturnType<SigningKeys['describe']>>;
    try {
      keys = await this.signingKeysFor(jwksUrl).describe();
    } catch (error) {
      throw translateVerificationError(error);
    }
    return keys.map(key => {
      if (key.refused) return { ...key, usable: false };
      const family = key.keyType === 'rsa' ? /^(RS|PS)/ : key.keyType === 'ec' ? /^ES/ : undefined;
      const usable = key.alg
        ? this.options.algorithms.includes(key.alg) && (family?.test(key.alg) ?? false)
        : this.options.algorithms.some(alg => family?.test(alg) ?? false);
      return { ...key, usable };
    });
  }

  private checkClaims(claims: IdTokenClaims, nowSeconds: number, expectedNonce: string | undefined) {
    for (const claim of ['sub', 'exp', 'iat'] as const) {
      if (claims[claim] === undefined) throw claimError(claim, `missing required "${claim}" claim`);
    }
    checkClaimTypes(claims);
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
    // `false` itself is refused at sign-in (readEmail), with its own code.
    if (this.options.requireVerifiedEmail && typeof claims.email_verified !== 'boolean') {
      throw claimError('email_verified', 'missing required "email_verified" claim (requireVerifiedEmail is on): SpectroCloud did not say whether the address is verified');
    }
    if (expectedNonce !== undefined) {
      if (typeof claims.nonce !== 'string') throw claimError('nonce', 'missing required "nonce" claim');
      if (!sameString(claims.nonce, expectedNonce)) {
        throw claimError('nonce', 'unexpected "nonce" claim value: the ID token was not issued for this sign-in');
      }
    }
  }

  /** OIDC Core 3.1.2.1: with `max_age`, `auth_time` is required and must not be older than it allows. */
  private checkAuthTime(claims: IdTokenClaims, nowSeconds: number, maxAge: number) {
    if (typeof claims.auth_time !== 'number') {
      throw claimError('auth_time', 'missing required "auth_time" claim (max_age was requested)');
    }
    if (nowSeconds - claims.auth_time > maxAge + this.options.clockTolerance) {
      throw claimError('auth_time', '"auth_time" claim is older than max_age allows: SpectroCloud did not ask the user to sign in again');
    }
  }

  /**
   * jsonwebtoken's verify: it decodes the token once and hands us the header
   * before it checks the signature. The header is checked there
   * ({@link checkJoseHeader}), before any key is looked up or fetched. A key
   * from a fresh JWKS cache is handed back at once, so jsonwebtoken finishes
   * synchronously; otherwise it waits for {@link SigningKeys.keyFor}.
   */
  private verifyWithJsonWebToken(idToken: string, issuer: string, jwksUrl: string, nowSeconds: number): IdTokenClaims | Promise<IdTokenClaims> {
    let headerRead = false;
    // jsonwebtoken flattens key-callback errors into a message; keep the original.
    let keyError: unknown;
    let outcome: { error: unknown; payload: unknown } | undefined;
    let settle: ((result: { error: unknown; payload: unknown }) => void) | undefined;
    jwt.verify(
      idToken,
      (header, callback) => {
        headerRead = true;
        try {
          checkJoseHeader(header, this.options.algorithms);
        } catch (error) {
          keyError = error;
          return callback(error as Error);
        }
        const signingKeys = this.signingKeysFor(jwksUrl);
        const cached = signingKeys.cachedKey(header.kid, header.alg);
        if (cached) return callback(null, cached);
        signingKeys.keyFor(header.kid, header.alg).then(
          key => callback(null, key),
          (error: Error) => {
            keyError = error;
            callback(error);
          },
        );
      },
      {
        algorithms: this.options.algorithms as jwt.Algorithm[],
        issuer,
        audience: this.options.clientId,
        clockTolerance: this.options.clockTolerance,
        clockTimestamp: nowSeconds,
      },
      (error, payload) => {
        if (settle) settle({ error, payload });
        else outcome = { error, payload };
      },
    );
    const finish = (result: { error: unknown; payload: unknown }): IdTokenClaims => {
      if (!result.error) return result.payload as IdTokenClaims;
      // Refused before the header reached us: not a compact JWS with a JSON header.
      if (!headerRead) throw new SpectroCloudTokenError('ERR_ID_TOKEN_INVALID', 'ID token is malformed or could not be verified', { cause: result.error });
      throw translateVerificationError(keyError ?? result.error);
    };
    if (outcome) return finish(outcome);
    return new Promise<{ error: unknown; payload: unknown }>(resolve => (settle = resolve)).then(finish);
  }

  private signingKeysFor(url: string): SigningKeys {
    // Discovery may move the JWKS: keys from another URL are not reused.
    if (this.keys?.url !== url) {
      this.keys = {
        url,
        signingKeys: new SigningKeys({
          jwksUrl: url,
          http: this.options.http ?? new OutboundClient({ timeoutMs: DEFAULT_TIMEOUT_MS, maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES }),
          cacheMaxAgeMs: this.options.jwksCacheMaxAgeMs ?? DEFAULT_JWKS_CACHE_MAX_AGE_SECONDS * 1000,
          refetchIntervalMs: this.options.jwksRefetchIntervalMs ?? DEFAULT_JWKS_REFETCH_INTERVAL_SECONDS * 1000,
          clock: this.clock,
        }),
      };
    }
    return this.keys.signingKeys;
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
