import { createHash, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { Jwks } from './types';

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicJwk: Record<string, unknown>;
}

/** The RSA keys the emulator publishes; the last one signs new tokens. */
export class SigningKeys {
  #keys: SigningKey[] = [generateSigningKey()];

  get current(): SigningKey {
    return this.#keys[this.#keys.length - 1];
  }

  get jwks(): Jwks {
    return { keys: this.#keys.map(k => ({ ...k.publicJwk })) };
  }

  /** Like a real key rollover: the old key stays published (unless dropped) so tokens already out still verify. */
  rotate(keepOld = true): string {
    const next = generateSigningKey();
    this.#keys = keepOld ? [...this.#keys, next] : [next];
    return next.kid;
  }

  /** The end of a rollover: an older key leaves the JWKS, and tokens it signed no longer verify. */
  withdraw(kid: string): void {
    if (kid === this.current.kid) throw new Error('SpectroCloud emulator: the current signing key cannot be withdrawn; rotate first');
    if (!this.#keys.some(k => k.kid === kid)) throw new Error('SpectroCloud emulator: no published key has that kid');
    this.#keys = this.#keys.filter(k => k.kid !== kid);
  }

  /** The public half of a published key, for checking tokens this emulator signed. */
  publicKey(kid: unknown): KeyObject | undefined {
    const key = this.#keys.find(k => k.kid === kid);
    return key ? createPublicKey(key.privateKey) : undefined;
  }
}

function generateSigningKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const { n, e } = publicKey.export({ format: 'jwk' });
  const kid = thumbprint(n!, e!);
  return { kid, privateKey, publicJwk: { kty: 'RSA', n, e, kid, alg: 'RS256', use: 'sig' } };
}

/** RFC 7638 thumbprint: a kid that is unique per key and stable for it. */
function thumbprint(n: string, e: string): string {
  return createHash('sha256').update(JSON.stringify({ e, kty: 'RSA', n })).digest('base64url');
}
