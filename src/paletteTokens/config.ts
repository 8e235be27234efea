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
export interface RedisEndpoint {
  host: string;
  port: number;
}

/**
 * TLS towards Redis: `true` for the system CAs, or the PEM of a private CA
 * (and the name the server certificate carries when it differs from the host).
 *
 * @public
 */
export type RedisTlsConfig = true | { ca?: string; servername?: string };

/**
 * One of three ways to reach Redis, as ioredis takes them: `url` (standalone),
 * `sentinels` + `name` (Redis behind Sentinel), or `cluster.nodes` (Redis Cluster).
 *
 * @public
 */
export interface RedisConnectionConfig {
  url?: string;
  sentinels?: RedisEndpoint[];
  /** The master group name the sentinels monitor (`sentinel monitor <name> ...`). */
  name?: string;
  cluster?: { nodes: RedisEndpoint[] };
  username?: string;
  password?: string;
  sentinelUsername?: string;
  sentinelPassword?: string;
  db?: number;
  tls?: RedisTlsConfig;
  /** Replicas that must acknowledge each write (Redis `WAIT`). Default 1 with `sentinels`, else 0. */
  waitForReplicas?: number;
  keyPrefix?: string;
}

/** @public */
export type TokenStoreConfig =
  | ({ type: 'memory'; maxEntries?: number } & TokenStoreEncryptionConfig)
  | ({ type: 'redis'; redis: RedisConnectionConfig } & TokenStoreEncryptionConfig)
  | ({ type: 'backstage-cache' } & TokenStoreEncryptionConfig);

type StoreType = TokenStoreConfig['type'];
const STORE_TYPES: StoreType[] = ['memory', 'redis', 'backstage-cache'];
const COMMON_KEYS = ['type', 'encryptionKey', 'previousEncryptionKeys'];
const KEYS_OF_TYPE: Record<StoreType, string[]> = {
  memory: [...COMMON_KEYS, 'maxEntries'],
  redis: [...COMMON_KEYS, 'redis'],
  'backstage-cache': COMMON_KEYS,
};
const REDIS_BLOCK_KEYS = [
  'url',
  'sentinels',
  'name',
  'cluster',
  'username',
  'password',
  'sentinelUsername',
  'sentinelPassword',
  'db',
  'tls',
  'waitForReplicas',
  'keyPrefix',
];
const URL_EXAMPLE = 'e.g. redis://redis:6379';
const CONNECTION_CHOICES = `set one of redis.url (${URL_EXAMPLE}), redis.sentinels with redis.name, or redis.cluster.nodes`;

/** @public */
export interface ReadTokenStoreConfigOptions {
  /**
   * True when the caller has Backstage's cache at hand: an absent
   * `tokenStore` block then means `backstage-cache` instead of `memory`.
   */
  backstageCacheAvailable?: boolean;
}

/**
 * Reads and validates `auth.providers.spectrocloud.tokenStore`. An absent
 * block means `{ type: 'memory' }` (or `backstage-cache` when a cache was
 * passed in). Every error names the full config path of the offending setting
 * and says what to write instead; secret values are never echoed.
 *
 * @public
 */
export function readTokenStoreConfig(config: Config | undefined, options: ReadTokenStoreConfigOptions = {}): TokenStoreConfig {
  const defaultType: StoreType = options.backstageCacheAvailable ? 'backstage-cache' : 'memory';
  const raw = config?.getOptional(TOKEN_STORE_CONFIG_PATH);
  if (raw === undefined) return { type: defaultType };
  const block = asObject(raw, TOKEN_STORE_CONFIG_PATH, "an object with at least `type: memory`, `type: redis` or `type: backstage-cache`");

  const type = (block.type ?? defaultType) as StoreType;
  if (!STORE_TYPES.includes(type)) {
    fail(
      'type',
      `must be 'memory', 'redis' or 'backstage-cache', got ${describe(block.type)}. Set it to one of those, or remove it to use the default 'memory'.`,
    );
  }
  rejectUnknownKeys(block, KEYS_OF_TYPE[type], TOKEN_STORE_CONFIG_PATH, type);
  const encryption = readEncryption(block);

  if (type === 'memory') {
    const maxEntries = block.maxEntries;
    if (maxEntries !== undefined && !isPositiveInteger(maxEntries)) {
      fail('maxEntries', `must be a positive whole number, got ${describe(maxEntries)}. It counts users; remove it to use the default 10000.`);
    }
    return { type, ...(maxEntries !== undefined && { maxEntries: maxEntries as number }), ...encryption };
  }
  if (type === 'backstage-cache') return { type, ...encryption };

  if (block.redis === undefined) fail('redis', `is required when type is 'redis'; ${CONNECTION_CHOICES}.`);
  return { type, redis: readRedisBlock(asObject(block.redis, `${TOKEN_STORE_CONFIG_PATH}.redis`, `an object; ${CONNECTION_CHOICES}`)), ...encryption };
}

function readRedisBlock(redis: Record<string, unknown>): RedisConnectionConfig {
  rejectUnknownKeys(redis, REDIS_BLOCK_KEYS, `${TOKEN_STORE_CONFIG_PATH}.redis`, 'redis');
  const modes = (['url', 'sentinels', 'cluster'] as const).filter(key => redis[key] !== undefined);
  if (modes.length === 0) fail('redis', `needs a connection: ${CONNECTION_CHOICES}.`);
  if (modes.length > 1) fail(`redis.${modes[1]}`, `cannot be combined with redis.${modes[0]}: ${CONNECTION_CHOICES}, not several.`);
  const out: RedisConnectionConfig = {};

  if (redis.url !== undefined) {
    const url = redis.url;
    // The URL may hold a password: say what is wrong with it without printing it.
    if (typeof url !== 'string' || url.trim() === '') fail('redis.url', `must be a redis:// or rediss:// URL, ${URL_EXAMPLE}`);
    if (!isRedisUrl(url as string)) {
      fail('redis.url', 'must be a redis:// or rediss:// URL, e.g. redis://redis:6379 or rediss://user:password@redis:6380/0');
    }
    out.url = (url as string).trim();
  }
  if (redis.sentinels !== undefined) {
    out.sentinels = readEndpoints(redis.sentinels, 'redis.sentinels', '[{ host: sentinel-1, port: 26379 }, ...]');
    if (typeof redis.name !== 'string' || redis.name.trim() === '') {
      fail('redis.name', 'is required with redis.sentinels: the master group name the sentinels monitor, e.g. mymaster');
    }
  }
  if (redis.name !== undefined) {
    if (redis.sentinels === undefined) fail('redis.name', 'only applies with redis.sentinels; remove it or add the sentinels.');
    out.name = (redis.name as string).trim();
  }
  if (redis.cluster !== undefined) {
    const cluster = asObject(redis.cluster, `${TOKEN_STORE_CONFIG_PATH}.redis.cluster`, 'an object with `nodes: [{ host, port }, ...]`');
    rejectUnknownKeys(cluster, ['nodes'], `${TOKEN_STORE_CONFIG_PATH}.redis.cluster`, 'redis');
    out.cluster = { nodes: readEndpoints(cluster.nodes, 'redis.cluster.nodes', '[{ host: redis-1, port: 6379 }, ...] (a few nodes are enough; the rest are discovered)') };
  }
  for (const key of ['username', 'password', 'sentinelUsername', 'sentinelPassword'] as const) {
    const value = redis[key];
    if (value === undefined) continue;
    if (typeof value !== 'string' || value === '') fail(`redis.${key}`, 'must be a non-empty string; remove it if not needed.');
    if (key.startsWith('sentinel') && redis.sentinels === undefined) fail(`redis.${key}`, 'only applies with redis.sentinels.');
    out[key] = value as string;
  }
  if (redis.db !== undefined) {
    if (!(Number.isSafeInteger(redis.db) && (redis.db as number) >= 0)) fail('redis.db', `must be a whole number >= 0, got ${describe(redis.db)}.`);
    if (redis.cluster !== undefined) fail('redis.db', 'does not apply to a Redis Cluster (it has database 0 only); remove it.');
    out.db = redis.db as number;
  }
  if (redis.tls !== undefined) out.tls = readTls(redis.tls);
  if (redis.waitForReplicas !== undefined) {
    if (!(Number.isSafeInteger(redis.waitForReplicas) && (redis.waitForReplicas as number) >= 0)) {
      fail('redis.waitForReplicas', `must be a whole number >= 0, got ${describe(redis.waitForReplicas)}.`);
    }
    if (redis.cluster !== undefined && redis.waitForReplicas !== 0) {
      fail('redis.waitForReplicas', 'is not supported with redis.cluster (WAIT must follow the write on the same node); remove it.');
    }
    out.waitForReplicas = redis.waitForReplicas as number;
  }
  const keyPrefix = redis.keyPrefix;
  if (keyPrefix !== undefined && (typeof keyPrefix !== 'string' || keyPrefix === '')) {
    fail('redis.keyPrefix', `must be a non-empty string, got ${describe(keyPrefix)}. Remove it to use the default 'spectrocloud:session:'.`);
  }
  if (keyPrefix !== undefined) out.keyPrefix = keyPrefix as string;
  return out;
}

function readEndpoints(value: unknown, relativeKey: string, example: string): RedisEndpoint[] {
  if (!Array.isArray(value) || value.length === 0) fail(relativeKey, `must be a non-empty list of { host, port }, e.g. ${example}.`);
  return (value as unknown[]).map((item, i) => {
    const at = `${relativeKey}[${i}]`;
    const endpoint = asObject(item, `${TOKEN_STORE_CONFIG_PATH}.${at}`, 'an object { host, port }');
    rejectUnknownKeys(endpoint, ['host', 'port'], `${TOKEN_STORE_CONFIG_PATH}.${at}`, 'redis');
    if (typeof endpoint.host !== 'string' || endpoint.host.trim() === '') fail(`${at}.host`, 'must be a host name or IP address.');
    if (!(Number.isSafeInteger(endpoint.port) && (endpoint.port as number) > 0 && (endpoint.port as number) < 65536)) {
      fail(`${at}.port`, `must be a port number (1-65535), got ${describe(endpoint.port)}.`);
    }
    return { host: (endpoint.host as string).trim(), port: endpoint.port as number };
  });
}

function readTls(value: unknown): RedisTlsConfig {
  if (value === true) return true;
  const tls = asObject(value, `${TOKEN_STORE_CONFIG_PATH}.redis.tls`, 'true, or an object with `ca` (PEM) and/or `servername`');
  rejectUnknownKeys(tls, ['ca', 'servername'], `${TOKEN_STORE_CONFIG_PATH}.redis.tls`, 'redis');
  const out: { ca?: string; servername?: string } = {};
  if (tls.ca !== undefined) {
    if (typeof tls.ca !== 'string' || !tls.ca.includes('-----BEGIN CERTIFICATE-----')) {
      fail('redis.tls.ca', 'must be PEM text of the CA certificate(s) that signed the Redis server certificate (-----BEGIN CERTIFICATE-----...).');
    }
    out.ca = tls.ca as string;
  }
  if (tls.servername !== undefined) {
    if (typeof tls.servername !== 'string' || tls.servername === '') fail('redis.tls.servername', 'must be a host name.');
    out.servername = tls.servername as string;
  }
  return out;
}

function isPositiveInteger(value: unknown): boolean {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
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
