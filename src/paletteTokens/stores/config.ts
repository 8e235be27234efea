import type { Config } from '@backstage/config';
import { asObject, describe, fail, rejectUnknownKeys } from './configValues';
import { parseEncryptionKey } from './encryptionKey';

/** The provider id whose paths and Redis key prefix are the defaults. */
export const DEFAULT_PROVIDER_ID = 'spectrocloud';

/** Config path of a provider's token-store block. */
export function tokenStoreConfigPath(providerId: string = DEFAULT_PROVIDER_ID): string {
  return `auth.providers.${providerId}.tokenStore`;
}

/** @internal */
export interface TokenStoreEncryptionConfig {
  /** base64 of 32 random bytes (`openssl rand -base64 32`). */
  encryptionKey?: string;
  /** Retired keys still accepted for decryption during a rotation. */
  previousEncryptionKeys?: string[];
}

export interface RedisEndpoint {
  host: string;
  port: number;
}

/**
 * TLS towards Redis: `true` for the system CAs, or the PEM of a private CA
 * (and the name the server certificate carries when it differs from the host).
 */
export type RedisTlsConfig = true | { ca?: string; servername?: string };

/**
 * One of three ways to reach Redis, as ioredis takes them: `url` (standalone),
 * `sentinels` + `name` (Redis behind Sentinel), or `cluster.nodes` (Redis Cluster).
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

/** @internal */
export interface TokenStoreRenewalConfig {
  /** Renew Palette tokens through Palette (`GET /v1/auth/refresh/{token}`) before they expire. Default true. */
  renewPaletteTokens?: boolean;
}

/** @internal */
export type TokenStoreConfig = (
  | ({ type: 'memory'; maxEntries?: number } & TokenStoreEncryptionConfig)
  | ({ type: 'redis'; redis: RedisConnectionConfig } & TokenStoreEncryptionConfig)
  | ({ type: 'backstage-cache' } & TokenStoreEncryptionConfig)
) &
  TokenStoreRenewalConfig;

type StoreType = TokenStoreConfig['type'];
const STORE_TYPES: StoreType[] = ['memory', 'redis', 'backstage-cache'];
const COMMON_KEYS = ['type', 'encryptionKey', 'previousEncryptionKeys', 'renewPaletteTokens', 'renewSessionTokens', 'paletteTokenCookie', 'apiTokenCookie'];
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

/** @internal */
export interface ReadTokenStoreConfigOptions {
  /**
   * True when the caller has Backstage's cache at hand: an absent
   * `tokenStore` block then means `backstage-cache` instead of `memory`.
   */
  backstageCacheAvailable?: boolean;
  /** Whose block to read: `auth.providers.<providerId>.tokenStore`. Default `spectrocloud`. */
  providerId?: string;
}

/** `auth.providers.<providerId>.tokenStore` of the backend's whole config, read by {@link readTokenStoreBlock}. */
export function readTokenStoreConfig(config: Config | undefined, options: ReadTokenStoreConfigOptions = {}): TokenStoreConfig {
  return readTokenStoreBlock(config?.getOptional(tokenStoreConfigPath(options.providerId)), options);
}

/**
 * Reads and validates a provider's `tokenStore` block (the value under
 * `auth.providers.<providerId>.tokenStore`). An absent block means
 * `{ type: 'memory' }` (or `backstage-cache` when a cache was passed in).
 * Every error names the full config path of the offending setting and says
 * what to write instead; secret values are never echoed.
 */
export function readTokenStoreBlock(raw: unknown, options: ReadTokenStoreConfigOptions = {}): TokenStoreConfig {
  const defaultType: StoreType = options.backstageCacheAvailable ? 'backstage-cache' : 'memory';
  const providerId = options.providerId ?? DEFAULT_PROVIDER_ID;
  const path = tokenStoreConfigPath(providerId);
  if (raw === undefined) return { type: defaultType };
  const block = asObject(raw, path, "an object with at least `type: memory`, `type: redis` or `type: backstage-cache`");

  const type = (block.type ?? defaultType) as StoreType;
  if (!STORE_TYPES.includes(type)) {
    fail(path, 
      'type',
      `must be 'memory', 'redis' or 'backstage-cache', got ${describe(block.type)}. Set it to one of those, or remove it to use the default 'memory'.`,
    );
  }
  rejectUnknownKeys(block, KEYS_OF_TYPE[type], path, type);
  const encryption = { ...readEncryption(block, path), ...readRenewal(block, path) };

  if (type === 'memory') {
    const maxEntries = block.maxEntries;
    if (maxEntries !== undefined && !isPositiveInteger(maxEntries)) {
      fail(path, 'maxEntries', `must be a positive whole number, got ${describe(maxEntries)}. It counts users; remove it to use the default 10000.`);
    }
    return { type, ...(maxEntries !== undefined && { maxEntries: maxEntries as number }), ...encryption };
  }
  if (type === 'backstage-cache') return { type, ...encryption };

  if (block.redis === undefined) fail(path, 'redis', `is required when type is 'redis'; ${CONNECTION_CHOICES}.`);
  const redis = readRedisBlock(path, asObject(block.redis, `${path}.redis`, `an object; ${CONNECTION_CHOICES}`));
  // Redis keys of two providers must not meet: another provider id gets a prefix of its own by default.
  if (redis.keyPrefix === undefined && providerId !== DEFAULT_PROVIDER_ID) redis.keyPrefix = `spectrocloud:session:${providerId}:`;
  return { type, redis, ...encryption };
}

function readRedisBlock(path: string, redis: Record<string, unknown>): RedisConnectionConfig {
  rejectUnknownKeys(redis, REDIS_BLOCK_KEYS, `${path}.redis`, 'redis');
  const modes = (['url', 'sentinels', 'cluster'] as const).filter(key => redis[key] !== undefined);
  if (modes.length === 0) fail(path, 'redis', `needs a connection: ${CONNECTION_CHOICES}.`);
  if (modes.length > 1) fail(path, `redis.${modes[1]}`, `cannot be combined with redis.${modes[0]}: ${CONNECTION_CHOICES}, not several.`);
  const out: RedisConnectionConfig = {};

  if (redis.url !== undefined) {
    const url = redis.url;
    // The URL may hold a password: say what is wrong with it without printing it.
    if (typeof url !== 'string' || url.trim() === '') fail(path, 'redis.url', `must be a redis:// or rediss:// URL, ${URL_EXAMPLE}`);
    if (!isRedisUrl(url as string)) {
      fail(path, 'redis.url', 'must be a redis:// or rediss:// URL, e.g. redis://redis:6379 or rediss://user:password@redis:6380/0');
    }
    out.url = (url as string).trim();
  }
  if (redis.sentinels !== undefined) {
    out.sentinels = readEndpoints(path, redis.sentinels, 'redis.sentinels', '[{ host: sentinel-1, port: 26379 }, ...]');
    if (typeof redis.name !== 'string' || redis.name.trim() === '') {
      fail(path, 'redis.name', 'is required with redis.sentinels: the master group name the sentinels monitor, e.g. mymaster');
    }
  }
  if (redis.name !== undefined) {
    if (redis.sentinels === undefined) fail(path, 'redis.name', 'only applies with redis.sentinels; remove it or add the sentinels.');
    out.name = (redis.name as string).trim();
  }
  if (redis.cluster !== undefined) {
    const cluster = asObject(redis.cluster, `${path}.redis.cluster`, 'an object with `nodes: [{ host, port }, ...]`');
    rejectUnknownKeys(cluster, ['nodes'], `${path}.redis.cluster`, 'redis');
    out.cluster = { nodes: readEndpoints(path, cluster.nodes, 'redis.cluster.nodes', '[{ host: redis-1, port: 6379 }, ...] (a few nodes are enough; the rest are discovered)') };
  }
  for (const key of ['username', 'password', 'sentinelUsername', 'sentinelPassword'] as const) {
    const value = redis[key];
    if (value === undefined) continue;
    if (typeof value !== 'string' || value === '') fail(path, `redis.${key}`, 'must be a non-empty string; remove it if not needed.');
    if (key.startsWith('sentinel') && redis.sentinels === undefined) fail(path, `redis.${key}`, 'only applies with redis.sentinels.');
    out[key] = value as string;
  }
  if (redis.db !== undefined) {
    if (!(Number.isSafeInteger(redis.db) && (redis.db as number) >= 0)) fail(path, 'redis.db', `must be a whole number >= 0, got ${describe(redis.db)}.`);
    if (redis.cluster !== undefined) fail(path, 'redis.db', 'does not apply to a Redis Cluster (it has database 0 only); remove it.');
    out.db = redis.db as number;
  }
  if (redis.tls !== undefined) out.tls = readTls(path, redis.tls);
  if (redis.waitForReplicas !== undefined) {
    if (!(Number.isSafeInteger(redis.waitForReplicas) && (redis.waitForReplicas as number) >= 0)) {
      fail(path, 'redis.waitForReplicas', `must be a whole number >= 0, got ${describe(redis.waitForReplicas)}.`);
    }
    if (redis.cluster !== undefined && redis.waitForReplicas !== 0) {
      fail(path, 'redis.waitForReplicas', 'is not supported with redis.cluster (WAIT must follow the write on the same node); remove it.');
    }
    out.waitForReplicas = redis.waitForReplicas as number;
  }
  const keyPrefix = redis.keyPrefix;
  if (keyPrefix !== undefined && (typeof keyPrefix !== 'string' || keyPrefix === '')) {
    fail(path, 'redis.keyPrefix', `must be a non-empty string, got ${describe(keyPrefix)}. Remove it to use the default 'spectrocloud:session:'.`);
  }
  if (keyPrefix !== undefined) out.keyPrefix = keyPrefix as string;
  return out;
}

function readEndpoints(path: string, value: unknown, relativeKey: string, example: string): RedisEndpoint[] {
  if (!Array.isArray(value) || value.length === 0) fail(path, relativeKey, `must be a non-empty list of { host, port }, e.g. ${example}.`);
  return (value as unknown[]).map((item, i) => {
    const at = `${relativeKey}[${i}]`;
    const endpoint = asObject(item, `${path}.${at}`, 'an object { host, port }');
    rejectUnknownKeys(endpoint, ['host', 'port'], `${path}.${at}`, 'redis');
    if (typeof endpoint.host !== 'string' || endpoint.host.trim() === '') fail(path, `${at}.host`, 'must be a host name or IP address.');
    if (!(Number.isSafeInteger(endpoint.port) && (endpoint.port as number) > 0 && (endpoint.port as number) < 65536)) {
      fail(path, `${at}.port`, `must be a port number (1-65535), got ${describe(endpoint.port)}.`);
    }
    return { host: (endpoint.host as string).trim(), port: endpoint.port as number };
  });
}

function readTls(path: string, value: unknown): RedisTlsConfig {
  if (value === true) return true;
  const tls = asObject(value, `${path}.redis.tls`, 'true, or an object with `ca` (PEM) and/or `servername`');
  rejectUnknownKeys(tls, ['ca', 'servername'], `${path}.redis.tls`, 'redis');
  const out: { ca?: string; servername?: string } = {};
  if (tls.ca !== undefined) {
    if (typeof tls.ca !== 'string' || !tls.ca.includes('-----BEGIN CERTIFICATE-----')) {
      fail(path, 'redis.tls.ca', 'must be PEM text of the CA certificate(s) that signed the Redis server certificate (-----BEGIN CERTIFICATE-----...).');
    }
    out.ca = tls.ca as string;
  }
  if (tls.servername !== undefined) {
    if (typeof tls.servername !== 'string' || tls.servername === '') fail(path, 'redis.tls.servername', 'must be a host name.');
    out.servername = tls.servername as string;
  }
  return out;
}

function isPositiveInteger(value: unknown): boolean {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

/**
 * `tokenStore.paletteTokenCookie` of a provider's `tokenStore` block: also hand
 * the raw Palette token to the browser in the seeds' `spectrocloud-api-token`
 * cookie. Off unless set to `true`: by default the token stays server-side.
 * The key released docs named, `apiTokenCookie`, is still read.
 */
export function readPaletteTokenCookie(raw: unknown, providerId: string = DEFAULT_PROVIDER_ID): boolean {
  const path = tokenStoreConfigPath(providerId);
  if (raw === undefined || raw === null || typeof raw !== 'object' || Array.isArray(raw)) return false;
  const block = raw as Record<string, unknown>;
  const current = readBoolean(block, 'paletteTokenCookie', path);
  const released = readBoolean(block, 'apiTokenCookie', path);
  if (current !== undefined && released !== undefined && current !== released) {
    fail(path, 'apiTokenCookie', `is ${released} but ${path}.paletteTokenCookie is ${current}: keep only paletteTokenCookie (apiTokenCookie is its old name).`);
  }
  return current ?? released ?? false;
}

function readBoolean(block: Record<string, unknown>, key: string, path: string): boolean | undefined {
  const value = block[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') {
    fail(path, key, `must be true or false, got ${describe(value)}. Remove it to keep the Palette token server-side only (the default).`);
  }
  return value as boolean;
}

/** `renewPaletteTokens`, or the key released docs named, `renewSessionTokens` (still read). */
function readRenewal(block: Record<string, unknown>, path: string): TokenStoreRenewalConfig {
  const current = readRenewalKey(block, 'renewPaletteTokens', path);
  const released = readRenewalKey(block, 'renewSessionTokens', path);
  if (current !== undefined && released !== undefined && current !== released) {
    fail(path, 'renewSessionTokens', `is ${released} but ${path}.renewPaletteTokens is ${current}: keep only renewPaletteTokens (renewSessionTokens is its old name).`);
  }
  const value = current ?? released;
  return value === undefined ? {} : { renewPaletteTokens: value };
}

function readRenewalKey(block: Record<string, unknown>, key: string, path: string): boolean | undefined {
  const value = block[key];
  if (value !== undefined && typeof value !== 'boolean') fail(path, key, `must be true or false, got ${describe(value)}. Remove it to renew (the default).`);
  return value as boolean | undefined;
}

function readEncryption(block: Record<string, unknown>, path: string): TokenStoreEncryptionConfig {
  const { encryptionKey, previousEncryptionKeys } = block;
  if (encryptionKey === undefined) {
    if (previousEncryptionKeys !== undefined) {
      fail(path, 
        'previousEncryptionKeys',
        `only makes sense with ${`${path}.encryptionKey`}; set encryptionKey to the new key (openssl rand -base64 32) or remove previousEncryptionKeys.`,
      );
    }
    return {};
  }
  parseEncryptionKey(encryptionKey, `${path}.encryptionKey`);
  if (previousEncryptionKeys === undefined) return { encryptionKey: encryptionKey as string };
  if (!Array.isArray(previousEncryptionKeys)) {
    fail(path, 'previousEncryptionKeys', 'must be a list of base64 keys (the keys encryptionKey had before).');
  }
  const previous = previousEncryptionKeys as unknown[];
  previous.forEach((key, i) => parseEncryptionKey(key, `${path}.previousEncryptionKeys[${i}]`));
  return { encryptionKey: encryptionKey as string, previousEncryptionKeys: previous as string[] };
}

function isRedisUrl(value: string): boolean {
  try {
    const url = new URL(value.trim());
    return (url.protocol === 'redis:' || url.protocol === 'rediss:') && url.hostname !== '';
  } catch {
    return false; // not a URL at all: reported by the caller with the expected form
  }
}
