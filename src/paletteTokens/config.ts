import type { Config } from '@backstage/config';
import { SpectroCloudConfigError } from '../errors';
import { ENCRYPTION_KEY_CONFIG_PATH, PREVIOUS_ENCRYPTION_KEYS_CONFIG_PATH, parseEncryptionKey } from './encryptionKey';

/** Config path of the token-store block. */
export const TOKEN_STORE_CONFIG_PATH = 'auth.providers.spectrocloud.tokenStore';

/** @public */
export interface TokenStoreEncryptionConfig {
  /** base64 of 32 random bytes (`openssl rand -base64 32`). */
  encryptionKey?: string;
  /** Retired keys still accepted for decryption during a rotation. */
  previousEncryptionKeys?: string[];
}

/** @public */
export type TokenStoreConfig =
  | ({ type: 'memory'; maxEntries?: number } & TokenStoreEncryptionConfig)
  | ({ type: 'redis'; redis: { url: string; keyPrefix?: string } } & TokenStoreEncryptionConfig);

const COMMON_KEYS = ['type', 'encryptionKey', 'previousEncryptionKeys'];
const MEMORY_KEYS = [...COMMON_KEYS, 'maxEntries'];
const REDIS_KEYS = [...COMMON_KEYS, 'redis'];
const REDIS_BLOCK_KEYS = ['url', 'keyPrefix'];

/**
 * Reads and validates `auth.providers.spectrocloud.tokenStore`. An absent
 * block means `{ type: 'memory' }`. Every error names the full config path of
 * the offending setting and says what to write instead; secret values are never
 * echoed.
 *
 * @public
 */
export function readTokenStoreConfig(config: Config | undefined): TokenStoreConfig {
  const raw = config?.getOptional(TOKEN_STORE_CONFIG_PATH);
  if (raw === undefined) return { type: 'memory' };
  const block = asObject(raw, TOKEN_STORE_CONFIG_PATH, 'an object with at least `type: memory` or `type: redis`');

  const type = block.type ?? 'memory';
  if (type !== 'memory' && type !== 'redis') {
    fail(
      'type',
      `must be 'memory' or 'redis', got ${describe(type)}. Set it to one of those, or remove it to use the default 'memory'.`,
    );
  }
  rejectUnknownKeys(block, type === 'memory' ? MEMORY_KEYS : REDIS_KEYS, TOKEN_STORE_CONFIG_PATH, type);
  const encryption = readEncryption(block);

  if (type === 'memory') {
    const maxEntries = block.maxEntries;
    if (maxEntries !== undefined && !(typeof maxEntries === 'number' && Number.isSafeInteger(maxEntries) && maxEntries > 0)) {
      fail('maxEntries', `must be a positive whole number, got ${describe(maxEntries)}. Remove it to use the default 10000.`);
    }
    return { type, ...(maxEntries !== undefined && { maxEntries: maxEntries as number }), ...encryption };
  }

  const redisPath = `${TOKEN_STORE_CONFIG_PATH}.redis`;
  if (block.redis === undefined) {
    fail('redis.url', "is required when type is 'redis'; set it to a redis:// or rediss:// URL, e.g. redis://redis:6379");
  }
  const redis = asObject(block.redis, redisPath, 'an object with a `url` such as redis://redis:6379');
  rejectUnknownKeys(redis, REDIS_BLOCK_KEYS, redisPath, type);
  const url = redis.url;
  // The URL may hold a password: say what is wrong with it without printing it.
  if (typeof url !== 'string' || url.trim() === '') {
    fail('redis.url', "is required when type is 'redis'; set it to a redis:// or rediss:// URL, e.g. redis://redis:6379");
  }
  if (!isRedisUrl(url as string)) {
    fail('redis.url', 'must be a redis:// or rediss:// URL, e.g. redis://redis:6379 or rediss://user:password@redis:6380/0');
  }
  const keyPrefix = redis.keyPrefix;
  if (keyPrefix !== undefined && (typeof keyPrefix !== 'string' || keyPrefix === '')) {
    fail('redis.keyPrefix', `must be a non-empty string, got ${describe(keyPrefix)}. Remove it to use the default 'spectrocloud:session:'.`);
  }
  return {
    type,
    redis: { url: (url as string).trim(), ...(keyPrefix !== undefined && { keyPrefix: keyPrefix as string }) },
    ...encryption,
  };
}

function readEncryption(block: Record<string, unknown>): TokenStoreEncryptionConfig {
  const { encryptionKey, previousEncryptionKeys } = block;
  if (encryptionKey === undefined) {
    if (previousEncryptionKeys !== undefined) {
      fail(
        'previousEncryptionKeys',
        `only makes sense with ${ENCRYPTION_KEY_CONFIG_PATH}; set encryptionKey to the new key (openssl rand -base64 32) or remove previousEncryptionKeys.`,
      );
    }
    return {};
  }
  parseEncryptionKey(encryptionKey, ENCRYPTION_KEY_CONFIG_PATH);
  if (previousEncryptionKeys === undefined) return { encryptionKey: encryptionKey as string };
  if (!Array.isArray(previousEncryptionKeys)) {
    fail('previousEncryptionKeys', 'must be a list of base64 keys (the keys encryptionKey had before).');
  }
  const previous = previousEncryptionKeys as unknown[];
  previous.forEach((key, i) => parseEncryptionKey(key, `${PREVIOUS_ENCRYPTION_KEYS_CONFIG_PATH}[${i}]`));
  return { encryptionKey: encryptionKey as string, previousEncryptionKeys: previous as string[] };
}

function rejectUnknownKeys(block: Record<string, unknown>, known: string[], path: string, type: string): void {
  for (const key of Object.keys(block)) {
    if (known.includes(key)) continue;
    const hint =
      key === 'redis' || key === 'maxEntries'
        ? `${key} does not apply to type '${type}'; remove it or change ${TOKEN_STORE_CONFIG_PATH}.type.`
        : `Known settings here are: ${known.join(', ')}.`;
    throw new SpectroCloudConfigError(`${path}.${key} is not a known setting. ${hint}`, `${path}.${key}`);
  }
}

function asObject(value: unknown, path: string, expected: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SpectroCloudConfigError(`${path} must be ${expected}, got ${describe(value)}.`, path);
  }
  return value as Record<string, unknown>;
}

function fail(relativeKey: string, problem: string): never {
  const path = `${TOKEN_STORE_CONFIG_PATH}.${relativeKey}`;
  throw new SpectroCloudConfigError(`${path} ${problem}`, path);
}

function isRedisUrl(value: string): boolean {
  try {
    const url = new URL(value.trim());
    return (url.protocol === 'redis:' || url.protocol === 'rediss:') && url.hostname !== '';
  } catch {
    return false; // not a URL at all: reported by the caller with the expected form
  }
}

// Short, value-free description for non-secret settings.
function describe(value: unknown): string {
  if (typeof value === 'string') return `'${value.length > 40 ? `${value.slice(0, 40)}...` : value}'`;
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : String(value);
}
