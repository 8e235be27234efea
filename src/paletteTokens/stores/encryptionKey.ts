import { SpectroCloudConfigError } from '../../errors';

/** Config path of the current encryption key; named in every key error. */
export const ENCRYPTION_KEY_CONFIG_PATH = 'auth.providers.spectrocloud.tokenStore.encryptionKey';
/** Config path of the retired keys still accepted for decryption. */
export const PREVIOUS_ENCRYPTION_KEYS_CONFIG_PATH = 'auth.providers.spectrocloud.tokenStore.previousEncryptionKeys';

const KEY_BYTES = 32;
const HOW_TO_MAKE_ONE = 'Generate one with: openssl rand -base64 32';

/**
 * Decodes an AES-256 key given as base64 (or as raw bytes) and checks it is
 * exactly 32 bytes. Errors name the config key and never echo the value.
 */
export function parseEncryptionKey(value: unknown, configPath: string = ENCRYPTION_KEY_CONFIG_PATH): Buffer {
  if (Buffer.isBuffer(value)) {
    if (value.length !== KEY_BYTES) {
      throw new SpectroCloudConfigError(
        `${configPath} must be ${KEY_BYTES} bytes, got ${value.length} bytes. ${HOW_TO_MAKE_ONE}`,
        configPath,
      );
    }
    return value;
  }
  if (typeof value !== 'string' || value.trim() === '') {
    throw new SpectroCloudConfigError(
      `${configPath} must be a base64 string of ${KEY_BYTES} random bytes. ${HOW_TO_MAKE_ONE}`,
      configPath,
    );
  }
  const text = value.trim();
  // Buffer.from(..., 'base64') silently skips junk; insist on real base64 so a
  // typo or a pasted passphrase is caught instead of yielding a weak key.
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text) && !/^[A-Za-z0-9_-]+={0,2}$/.test(text)) {
    throw new SpectroCloudConfigError(
      `${configPath} is not valid base64. ${HOW_TO_MAKE_ONE}`,
      configPath,
    );
  }
  const key = Buffer.from(text, 'base64');
  if (key.length !== KEY_BYTES) {
    throw new SpectroCloudConfigError(
      `${configPath} must decode to ${KEY_BYTES} bytes (AES-256), got ${key.length} bytes. ${HOW_TO_MAKE_ONE}`,
      configPath,
    );
  }
  return key;
}
