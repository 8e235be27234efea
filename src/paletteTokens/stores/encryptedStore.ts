import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { PREVIOUS_ENCRYPTION_KEYS_CONFIG_PATH, parseEncryptionKey } from './encryptionKey';
// Named through the main entry, so the published types of .../palette-tokens point there.
import type { SpectroCloudStore } from '../../ttlStore/types';

export interface EncryptedStoreOptions {
  /** Retired keys, tried for decryption only, so a key rotation does not sign everybody out. */
  previousKeys?: Array<string | Buffer>;
  /** Counts the events this store emits (SpectroCloudAuthMetrics implements it). */
  metrics?: { recordTokenStore(event: 'undecryptable'): void };
}

// Value layout: "scv1." + base64url(iv[12] | tag[16] | ciphertext).
const FORMAT_PREFIX = 'scv1.';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Encrypts tokens before they reach the inner store (AES-256-GCM, fresh random
 * 12-byte IV per value). The entry's key is bound in as additional
 * authenticated data, so a value copied onto another user's key fails to
 * decrypt. Tampered, foreign or undecryptable values read as missing (and are
 * counted as `undecryptable`); they are never returned.
 *
 * Values written before encryption was enabled also read as missing: those
 * users sign in again once.
 */
export class EncryptedStore implements SpectroCloudStore {
  private readonly key: Buffer;
  private readonly decryptionKeys: Buffer[];
  private readonly metrics?: EncryptedStoreOptions['metrics'];

  /** `key`: base64 of 32 bytes (`openssl rand -base64 32`) or the 32 bytes themselves. */
  constructor(
    private readonly inner: SpectroCloudStore,
    key: string | Buffer,
    options: EncryptedStoreOptions = {},
  ) {
    this.key = parseEncryptionKey(key);
    this.decryptionKeys = [
      this.key,
      ...(options.previousKeys ?? []).map((k, i) => parseEncryptionKey(k, `${PREVIOUS_ENCRYPTION_KEYS_CONFIG_PATH}[${i}]`)),
    ];
    this.metrics = options.metrics;
  }

  async set(key: string, token: string, expiresAt: number): Promise<void> {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(aad(key));
    const ciphertext = Buffer.concat([cipher.update(token, 'utf8'), cipher.final()]);
    const sealed = Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64url');
    await this.inner.set(key, FORMAT_PREFIX + sealed, expiresAt);
  }

  async get(key: string): Promise<string | undefined> {
    const stored = await this.inner.get(key);
    if (stored === undefined) return undefined;
    const token = this.open(key, stored);
    if (token === undefined) this.metrics?.recordTokenStore('undecryptable');
    return token;
  }

  delete(key: string): Promise<void> {
    return this.inner.delete(key);
  }

  /** Not encrypted: a claim holds no token. Absent when the inner store has none. */
  get claim(): SpectroCloudStore['claim'] {
    const inner = this.inner;
    return inner.claim ? (key, expiresAt) => inner.claim!(key, expiresAt) : undefined;
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  private open(key: string, stored: string): string | undefined {
    if (!stored.startsWith(FORMAT_PREFIX)) return undefined;
    const raw = Buffer.from(stored.slice(FORMAT_PREFIX.length), 'base64url');
    if (raw.length <= IV_BYTES + TAG_BYTES) return undefined;
    const iv = raw.subarray(0, IV_BYTES);
    const tag = raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES);
    const ciphertext = raw.subarray(IV_BYTES + TAG_BYTES);
    for (const candidate of this.decryptionKeys) {
      try {
        const decipher = createDecipheriv('aes-256-gcm', candidate, iv, { authTagLength: TAG_BYTES });
        decipher.setAAD(aad(key));
        decipher.setAuthTag(tag);
        return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
      } catch {
        // Wrong key or tampered value: GCM's tag check failed; try the next key.
      }
    }
    return undefined;
  }
}

function aad(key: string): Buffer {
  return Buffer.from(`spectrocloud-session-token:${key}`, 'utf8');
}
