import { createPublicKey, type KeyObject } from 'node:crypto';

/**
 * Which published key may verify an ID token (docs/security.md, "Signing
 * keys"). Each rule is one named function returning the reason it refuses,
 * or undefined; the first group runs once per fetched JWKS, the second per
 * token, because it depends on the token's `alg`.
 */
export type KeyRefusal =
  | 'private-key-material'
  | 'published-for-encryption'
  | 'malformed'
  | 'unsupported-key-type'
  | 'rsa-modulus-too-small'
  | 'key-type-mismatch'
  | 'ec-curve-mismatch'
  | 'alg-mismatch'
  | 'ambiguous-kid';

/** What each refusal means, for errors and the doctor. */
export const KEY_REFUSAL_REASONS: Record<KeyRefusal, string> = {
  'private-key-material': 'the JWKS publishes private key material for it',
  'published-for-encryption': 'it is published for encryption ("use": "enc", or "key_ops" without "verify")',
  malformed: 'it is not a valid public key',
  'unsupported-key-type': 'its key type is not RSA or EC',
  'rsa-modulus-too-small': `its RSA modulus is shorter than ${2048} bits`,
  'key-type-mismatch': "its key type does not fit the token's algorithm",
  'ec-curve-mismatch': "its EC curve does not fit the token's algorithm",
  'alg-mismatch': 'its own "alg" names another algorithm than the token',
  'ambiguous-kid': 'the JWKS publishes several keys under this kid',
};

/** One JWKS entry after the key-level rules: a public key, or the reason it is refused. */
export type PublishedKey = { kid?: string; alg?: string; key: KeyObject; refused?: undefined } | { kid?: string; alg?: string; refused: KeyRefusal };

/** NIST SP 800-131A: RSA below 2048 bits is disallowed for signatures; jsonwebtoken checks size only when signing. */
export const MIN_RSA_MODULUS_BITS = 2048;

/** JWK members that only a private (or symmetric) key has (RFC 7518 section 6.3.2 and 6.4). */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;

/** The curve each ECDSA algorithm is defined on (RFC 7518 section 3.4), as node:crypto names it. */
const CURVE_OF_ALG: Record<string, string> = { ES256: 'prime256v1', ES384: 'secp384r1', ES512: 'secp521r1' };

/**
 * The JWK with its private members removed and their names kept, so that no
 * private value is held or handed on (jwks-rsa's debug log prints the set),
 * while the refusal can still be decided on their presence.
 */
export function withoutPrivateMembers(jwk: unknown): Record<string, unknown> {
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) return {};
  const publicPart: Record<string, unknown> = { ...(jwk as Record<string, unknown>) };
  const present = PRIVATE_MEMBERS.filter(name => name in publicPart);
  for (const name of present) delete publicPart[name];
  if (present.length > 0) publicPart[PRIVATE_MARK] = present;
  return publicPart;
}
const PRIVATE_MARK = 'privateMembersRemoved';

/** A published JWKS is public: a key that comes with its private half is compromised by publication. */
export function refusePrivateKeyMaterial(jwk: Record<string, unknown>): KeyRefusal | undefined {
  return PRIVATE_MARK in jwk || PRIVATE_MEMBERS.some(name => name in jwk) ? 'private-key-material' : undefined;
}

/** RFC 7517 4.2/4.3: a key for encryption must not verify signatures; `key_ops` without `verify` says the same. */
export function refuseEncryptionKey(jwk: Record<string, unknown>): KeyRefusal | undefined {
  if (jwk.use !== undefined && jwk.use !== 'sig') return 'published-for-encryption';
  if (jwk.key_ops !== undefined && !(Array.isArray(jwk.key_ops) && jwk.key_ops.includes('verify'))) return 'published-for-encryption';
  return undefined;
}

/** Only RSA and EC: jsonwebtoken 9 has no EdDSA, and an `oct` key is a shared secret (never published). */
export function refuseUnsupportedKeyType(key: KeyObject): KeyRefusal | undefined {
  return key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'rsa-pss' || key.asymmetricKeyType === 'ec' ? undefined : 'unsupported-key-type';
}

/** RFC 8725 3.5 and NIST SP 800-131A: a short RSA modulus can be factored. */
export function refuseWeakRsaKey(key: KeyObject): KeyRefusal | undefined {
  const bits = key.asymmetricKeyDetails?.modulusLength;
  if (key.asymmetricKeyType !== 'rsa' && key.asymmetricKeyType !== 'rsa-pss') return undefined;
  return bits !== undefined && bits >= MIN_RSA_MODULUS_BITS ? undefined : 'rsa-modulus-too-small';
}

/** RS* and PS* need an RSA key, ES* an EC key (RFC 7518 section 3.1). */
export function refuseKeyTypeForAlg(key: KeyObject, alg: string): KeyRefusal | undefined {
  const rsa = key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'rsa-pss';
  if (/^(RS|PS)(256|384|512)$/.test(alg)) return rsa ? undefined : 'key-type-mismatch';
  if (/^ES(256|384|512)$/.test(alg)) return key.asymmetricKeyType === 'ec' ? undefined : 'key-type-mismatch';
  return 'key-type-mismatch';
}

/** ES256 on P-256, ES384 on P-384, ES512 on P-521 (RFC 7518 section 3.4). */
export function refuseCurveForAlg(key: KeyObject, alg: string): KeyRefusal | undefined {
  if (key.asymmetricKeyType !== 'ec') return undefined;
  return key.asymmetricKeyDetails?.namedCurve === CURVE_OF_ALG[alg] ? undefined : 'ec-curve-mismatch';
}

/** RFC 7517 4.4: a key that names its algorithm is for that algorithm only. */
export function refuseKeyAlgMismatch(keyAlg: string | undefined, alg: string): KeyRefusal | undefined {
  return keyAlg === undefined || keyAlg === alg ? undefined : 'alg-mismatch';
}

/** RFC 7517 4.5 asks for distinct kids; a kid naming several entries is refused, whatever they are. */
export function refuseAmbiguousKid(entriesUnderKid: readonly PublishedKey[]): KeyRefusal | undefined {
  return entriesUnderKid.length > 1 ? 'ambiguous-kid' : undefined;
}

/** The rules that do not depend on a token, applied to one JWKS entry (already {@link withoutPrivateMembers}). */
export function readPublishedKey(jwk: Record<string, unknown>): PublishedKey {
  const kid = typeof jwk.kid === 'string' ? jwk.kid : undefined;
  const alg = typeof jwk.alg === 'string' ? jwk.alg : undefined;
  const early = refusePrivateKeyMaterial(jwk) ?? refuseEncryptionKey(jwk);
  if (early) return { kid, alg, refused: early };
  let key: KeyObject;
  try {
    key = createPublicKey({ key: jwk as import('node:crypto').JsonWebKey, format: 'jwk' });
  } catch {
    return { kid, alg, refused: 'malformed' };
  }
  const refused = refuseUnsupportedKeyType(key) ?? refuseWeakRsaKey(key);
  return refused ? { kid, alg, refused } : { kid, alg, key };
}

/**
 * The key that verifies a token with this `alg` among the entries published
 * under its `kid`. Strict on ambiguity: a `kid` that names more than one
 * entry is refused whatever those entries are (RFC 7517 4.5 asks for
 * distinct kids; picking one would let the choice depend on order).
 */
export function chooseVerificationKey(entries: readonly PublishedKey[], alg: string): { key: KeyObject } | { refused: KeyRefusal } {
  const ambiguous = refuseAmbiguousKid(entries);
  if (ambiguous) return { refused: ambiguous };
  const [entry] = entries;
  if (entry.refused) return { refused: entry.refused };
  const refused = refuseKeyAlgMismatch(entry.alg, alg) ?? refuseKeyTypeForAlg(entry.key, alg) ?? refuseCurveForAlg(entry.key, alg);
  return refused ? { refused } : { key: entry.key };
}
