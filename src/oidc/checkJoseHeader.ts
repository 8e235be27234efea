import { SpectroCloudTokenError } from '../errors';

/**
 * Header parameters that name a key or a key location. The signing key comes
 * from the issuer's published JWKS only: a token that brings its own key is
 * the classic forgery (RFC 8725 section 3.10), so it is refused outright.
 */
const KEY_BEARING = ['jwk', 'jku', 'x5u', 'x5c'] as const;

/** `typ` values that say "a JWT" (RFC 7515 4.1.9: compared case-insensitively, "application/" optional). */
const JWT_TYPE = /^(application\/)?jwt$/i;

/**
 * RFC 7515 section 4 for an ID token, before its signature is checked and
 * before any key is looked up: the JOSE header may only ask for what this
 * package implements (a compact JWS, signed with an allowed algorithm, keyed
 * by the JWKS). `header` is the one jsonwebtoken decoded and hands to the
 * key callback (JSON.parse, which keeps the lexically last of duplicate
 * names, the choice RFC 7515 section 4 allows); jsonwebtoken then verifies
 * with that same object's `alg`, so no second reader can disagree with it.
 */
export function checkJoseHeader(decoded: unknown, algorithms: readonly string[]): asserts decoded is { alg: string; kid?: string } {
  if (typeof decoded !== 'object' || decoded === null || Array.isArray(decoded)) {
    throw new SpectroCloudTokenError('ERR_ID_TOKEN_INVALID', 'ID token is malformed or could not be verified');
  }
  const header = decoded as Record<string, unknown>;
  const alg = header.alg;
  if (typeof alg !== 'string' || alg === 'none' || !algorithms.includes(alg)) {
    throw new SpectroCloudTokenError(
      'ERR_ID_TOKEN_ALGORITHM',
      `ID token uses algorithm "${typeof alg === 'string' ? alg.slice(0, 16) : typeof alg}", which is not allowed`,
      { claim: 'alg' },
    );
  }
  // 4.1.11: we implement no extension, so any `crit` (malformed or not) names one we do not understand.
  if ('crit' in header) throw headerError('crit', critProblem(header.crit, header));
  if ('enc' in header || 'zip' in header) {
    throw headerError('enc' in header ? 'enc' : 'zip', 'ID token is encrypted or compressed (JWE "enc"/"zip" header); only signed ID tokens are supported');
  }
  for (const name of KEY_BEARING) {
    if (name in header) throw headerError(name, `ID token header carries its own key ("${name}"); only keys SpectroCloud publishes at jwks_uri are used`);
  }
  if ('b64' in header && header.b64 !== true) {
    throw headerError('b64', 'ID token header asks for an unencoded payload ("b64": false, RFC 7797), which is not supported');
  }
  if ('kid' in header && (typeof header.kid !== 'string' || header.kid === '')) {
    throw headerError('kid', 'ID token header "kid" must be a non-empty string');
  }
  if ('typ' in header && (typeof header.typ !== 'string' || !JWT_TYPE.test(header.typ))) {
    // RFC 8725 section 3.11: an explicit other type (at+jwt, logout+jwt, ...) is another kind of token.
    throw headerError('typ', 'ID token header "typ" names another kind of token than a JWT');
  }
  if ('cty' in header) {
    throw headerError('cty', 'ID token header "cty" says the payload is not a claims set (nested JWTs are not supported)');
  }
}

/** Header names RFC 7515 and RFC 7518 define for JWS: `crit` must never list them (4.1.11). */
const REGISTERED = ['alg', 'jku', 'jwk', 'kid', 'x5u', 'x5c', 'x5t', 'x5t#S256', 'typ', 'cty', 'crit'];

function critProblem(crit: unknown, header: Record<string, unknown>): string {
  if (!Array.isArray(crit)) return 'ID token header "crit" is malformed (not an array) and is refused';
  if (crit.length === 0) return 'ID token header "crit" is an empty array, which RFC 7515 forbids';
  if (crit.some(name => typeof name !== 'string')) return 'ID token header "crit" is malformed (not a list of names)';
  if (crit.some(name => REGISTERED.includes(name))) return 'ID token header "crit" lists a registered header parameter, which RFC 7515 forbids';
  if (crit.some(name => !(name in header))) return 'ID token header "crit" lists a parameter the header does not carry';
  return 'ID token header "crit" names an extension this client does not implement';
}

function headerError(parameter: string, message: string): SpectroCloudTokenError {
  return new SpectroCloudTokenError('ERR_ID_TOKEN_HEADER', message, { claim: parameter });
}
