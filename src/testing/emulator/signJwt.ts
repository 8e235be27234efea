import { createPublicKey, KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { SigningKey } from './keys';
import type { SignOptions } from './types';

/**
 * Signs exactly the given claims. Defaults to RS256 with the current key; the
 * options exist so tests can forge bad tokens (alg none, HS256 keyed with the
 * public key, foreign keys, wrong kid) and prove the client refuses them.
 */
export function signJwt(claims: Record<string, unknown>, current: SigningKey, opts: SignOptions = {}): string {
  const alg = opts.alg ?? 'RS256';
  const kid = opts.kid === undefined ? current.kid : opts.kid;
  const options: jwt.SignOptions = {
    ...(kid === null ? {} : { keyid: kid }),
    ...(opts.header ? { header: { alg, ...opts.header } as jwt.JwtHeader } : {}),
    // The claims are the test's to choose: no added iat (jsonwebtoken drops a given one under noTimestamp), no key-size or key-type guard.
    noTimestamp: !('iat' in claims),
    allowInsecureKeySizes: true,
    allowInvalidAsymmetricKeyTypes: true,
  };
  if (alg === 'none') return jwt.sign(claims, null, { ...options, algorithm: 'none' });
  return jwt.sign(claims, keyFor(alg, opts.key ?? current.privateKey), { ...options, algorithm: alg });
}

function keyFor(alg: string, key: string | Buffer | KeyObject): jwt.Secret {
  // An HMAC "secret" made of the public key is the classic algorithm-confusion forgery.
  if (alg.startsWith('HS') && key instanceof KeyObject && key.type !== 'secret') {
    return createPublicKey(key).export({ type: 'spki', format: 'pem' });
  }
  return key;
}
