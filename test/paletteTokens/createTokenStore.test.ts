import { randomBytes } from 'node:crypto';
import { ConfigReader } from '@backstage/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EncryptedStore } from '../../src/paletteTokens/stores/encryptedStore';
import { MemoryStore } from '../../src/ttlStore/memoryStore';
import { RedisStore } from '../../src/paletteTokens/stores/redisStore';
import { SpectroCloudConfigError } from '../../src/errors';
import { readTokenStoreConfig } from '../../src/paletteTokens/stores/config';
import { createTokenStore } from '../../src/paletteTokens/stores/createPaletteTokenCache';
import { type RedisTestServer, startRedisServer } from '../support/redisServer';
import { registerSecret } from '../support/secrets';

const HOUR = 60 * 60 * 1000;
// @backstage/types is not a direct dependency: derive its JsonValue from ConfigReader.
type JsonValue = NonNullable<ConstructorParameters<typeof ConfigReader>[0]>[string];
const withTokenStore = (tokenStore: JsonValue) =>
  new ConfigReader({ auth: { providers: { spectrocloud: { development: { clientId: 'x' }, tokenStore } } } });

function configError(tokenStore: JsonValue): SpectroCloudConfigError {
  try {
    readTokenStoreConfig(withTokenStore(tokenStore));
  } catch (error) {
    expect(error).toBeInstanceOf(SpectroCloudConfigError);
    return error as SpectroCloudConfigError;
  }
  throw new Error('expected a config error');
}

describe('readTokenStoreConfig', () => {
  it('defaults to the memory store when there is no config at all', () => {
    expect(readTokenStoreConfig(undefined)).toEqual({ type: 'memory' });
    expect(readTokenStoreConfig(new ConfigReader({}))).toEqual({ type: 'memory' });
  });

  it('reads renewSessionTokens (on unless false) and refuses a value that is not true or false', () => {
    expect(readTokenStoreConfig(withTokenStore({ renewSessionTokens: false }))).toEqual({ type: 'memory', renewPaletteTokens: false });
    expect(readTokenStoreConfig(withTokenStore({ type: 'redis', redis: { url: 'redis://redis:6379' }, renewSessionTokens: true }))).toMatchObject({
      renewPaletteTokens: true,
    });
    const error = configError({ renewSessionTokens: 'no' });
    expect(error.configKey).toBe('auth.providers.spectrocloud.tokenStore.renewSessionTokens');
    expect(error.message).toMatch(/must be true or false/);
  });

  it('defaults the type to memory and reads maxEntries', () => {
    expect(readTokenStoreConfig(withTokenStore({ maxEntries: 500 }))).toEqual({ type: 'memory', maxEntries: 500 });
  });

  it('reads a redis block', () => {
    expect(readTokenStoreConfig(withTokenStore({ type: 'redis', redis: { url: 'redis://redis:6379', keyPrefix: 'bs:' } }))).toEqual({
      type: 'redis',
      redis: { url: 'redis://redis:6379', keyPrefix: 'bs:' },
    });
  });

  it('reads Redis behind Sentinel: sentinels, name, auth and TLS as ioredis takes them', () => {
    const redis = {
      sentinels: [{ host: 'sentinel-1', port: 26379 }, { host: 'sentinel-2', port: 26379 }],
      name: 'mymaster',
      password: 'redis-password-1234',
      sentinelPassword: 'sentinel-password-1234',
      tls: { ca: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n' },
      waitForReplicas: 2,
    };
    expect(readTokenStoreConfig(withTokenStore({ type: 'redis', redis }))).toEqual({ type: 'redis', redis });
  });

  it('reads a Redis Cluster from its nodes', () => {
    const redis = { cluster: { nodes: [{ host: 'redis-1', port: 6379 }] }, username: 'backstage', password: 'p', tls: true };
    expect(readTokenStoreConfig(withTokenStore({ type: 'redis', redis }))).toEqual({ type: 'redis', redis });
  });

  it('names the exact path of a bad sentinel or cluster setting', () => {
    expect(configError({ type: 'redis', redis: { sentinels: [{ host: 's', port: 26379 }] } }).configKey).toBe(
      'auth.providers.spectrocloud.tokenStore.redis.name',
    );
    expect(configError({ type: 'redis', redis: { sentinels: [{ host: 's', port: 'x' }], name: 'm' } }).configKey).toBe(
      'auth.providers.spectrocloud.tokenStore.redis.sentinels[0].port',
    );
    expect(configError({ type: 'redis', redis: { cluster: { nodes: [] } } }).message).toMatch(/redis\.cluster\.nodes must be a non-empty list/);
    expect(configError({ type: 'redis', redis: { url: 'redis://r:6379', sentinelPassword: 'x' } }).message).toMatch(/only applies with redis\.sentinels/);
    expect(configError({ type: 'redis', redis: { url: 'redis://r:6379', tls: { ca: 'not a pem' } } }).configKey).toBe(
      'auth.providers.spectrocloud.tokenStore.redis.tls.ca',
    );
  });

  it('reads backstage-cache, which takes only the encryption settings', () => {
    expect(readTokenStoreConfig(withTokenStore({ type: 'backstage-cache' }))).toEqual({ type: 'backstage-cache' });
    expect(configError({ type: 'backstage-cache', maxEntries: 5 }).message).toMatch(/maxEntries does not apply to type 'backstage-cache'/);
  });

  it('rejects an unknown type, naming the config path and the allowed values', () => {
    const error = configError({ type: 'mongo' });
    expect(error.code).toBe('ERR_CONFIG');
    expect(error.configKey).toBe('auth.providers.spectrocloud.tokenStore.type');
    expect(error.message).toMatch(/auth\.providers\.spectrocloud\.tokenStore\.type must be 'memory', 'redis' or 'backstage-cache', got 'mongo'/);
  });

  it('rejects an unknown setting, listing the known ones', () => {
    const error = configError({ type: 'memory', maxEntrys: 5 });
    expect(error.configKey).toBe('auth.providers.spectrocloud.tokenStore.maxEntrys');
    expect(error.message).toMatch(/is not a known setting.*maxEntries/);
  });

  it('rejects a redis block when the type is memory', () => {
    expect(configError({ redis: { url: 'redis://x' } }).message).toMatch(
      /tokenStore\.redis is not a known setting\. redis does not apply to type 'memory'/,
    );
  });

  it('rejects a maxEntries that is not a positive whole number', () => {
    expect(configError({ maxEntries: -3 }).message).toMatch(/tokenStore\.maxEntries must be a positive whole number, got -3/);
    expect(configError({ maxEntries: 'lots' }).configKey).toBe('auth.providers.spectrocloud.tokenStore.maxEntries');
  });

  it('requires a redis connection when the type is redis, naming the three ways to give one', () => {
    const error = configError({ type: 'redis' });
    expect(error.configKey).toBe('auth.providers.spectrocloud.tokenStore.redis');
    expect(error.message).toMatch(/is required when type is 'redis'; set one of redis\.url .*redis\.sentinels with redis\.name, or redis\.cluster\.nodes/);
    expect(configError({ type: 'redis', redis: { keyPrefix: 'x:' } }).message).toMatch(/redis needs a connection/);
  });

  it('rejects a redis.url that is not a redis URL, without printing it', () => {
    const url = 'http://user:hunter2-password@redis:6379';
    registerSecret(url);
    const error = configError({ type: 'redis', redis: { url } });
    expect(error.message).toMatch(/tokenStore\.redis\.url must be a redis:\/\/ or rediss:\/\/ URL/);
    expect(error.message).not.toContain('hunter2');
  });

  it('rejects unknown settings inside the redis block', () => {
    expect(configError({ type: 'redis', redis: { url: 'redis://r', host: 'r' } }).configKey).toBe(
      'auth.providers.spectrocloud.tokenStore.redis.host',
    );
  });

  it('rejects an encryption key of the wrong length, naming the config key', () => {
    const error = configError({ encryptionKey: randomBytes(24).toString('base64') });
    expect(error.configKey).toBe('auth.providers.spectrocloud.tokenStore.encryptionKey');
    expect(error.message).toMatch(/must decode to 32 bytes .*openssl rand -base64 32/);
  });

  it('rejects previousEncryptionKeys without an encryptionKey', () => {
    expect(configError({ previousEncryptionKeys: [randomBytes(32).toString('base64')] }).message).toMatch(
      /tokenStore\.previousEncryptionKeys only makes sense with auth\.providers\.spectrocloud\.tokenStore\.encryptionKey/,
    );
  });
});

describe('createTokenStore', () => {
  let server: RedisTestServer;
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('creates a memory store by default and says that tokens are process-local', async () => {
    const logs: string[] = [];
    const store = createTokenStore(undefined, { logger: { info: m => logs.push(m), warn: m => logs.push(m), error: () => undefined } });
    expect(store).toBeInstanceOf(MemoryStore);
    expect(logs.join()).toMatch(/lost on restart and not shared between replicas/);
    await store.close();
  });

  it('honours maxEntries for the memory store', async () => {
    const store = createTokenStore(withTokenStore({ maxEntries: 2 })) as MemoryStore;
    for (const k of ['a', 'b', 'c']) await store.set(k, 'v', Date.now() + HOUR);
    expect(store.size).toBe(2);
    await store.close();
  });

  it('creates a working Redis store and warns when it is not encrypted, without logging the URL', async () => {
    const logs: string[] = [];
    const store = createTokenStore(withTokenStore({ type: 'redis', redis: { url: server.url } }), {
      logger: { info: m => logs.push(m), warn: m => logs.push(m), error: () => undefined },
    });
    expect(store).toBeInstanceOf(RedisStore);
    await store.set('k', 'value-in-redis', Date.now() + HOUR);
    expect(await store.get('k')).toBe('value-in-redis');
    expect(logs.join()).toMatch(/stored in Redis unencrypted; set auth\.providers\.spectrocloud\.tokenStore\.encryptionKey/);
    expect(logs.join()).not.toContain(String(server.port));
    await store.close();
  });

  it('wraps the store in encryption when an encryptionKey is set', async () => {
    const oldKey = randomBytes(32).toString('base64');
    const key = randomBytes(32).toString('base64');
    registerSecret(oldKey);
    registerSecret(key);
    const store = createTokenStore(
      withTokenStore({ type: 'redis', redis: { url: server.url }, encryptionKey: key, previousEncryptionKeys: [oldKey] }),
    );
    expect(store).toBeInstanceOf(EncryptedStore);
    await store.set('k', 'encrypted-value', Date.now() + HOUR);
    expect(await store.get('k')).toBe('encrypted-value');
    await store.close();
  });

  it('fails at creation, not at first use, when the config is wrong', () => {
    expect(() => createTokenStore(withTokenStore({ type: 'redis', redis: { url: 'localhost:6379' } }))).toThrow(
      SpectroCloudConfigError,
    );
  });
});
