import { SpectroCloudAuthMetrics } from '../../src/metrics';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PaletteTokenCache,
} from '../../src/paletteTokens';
import { EncryptedStore } from '../../src/paletteTokens/stores/encryptedStore';
import { MemoryStore } from '../../src/ttlStore/memoryStore';
import { RedisStore } from '../../src/paletteTokens/stores/redisStore';
import { SpectroCloudConfigError } from '../../src/errors';
import { type RedisTestServer, startRedisServer } from '../support/redisServer';
import { registerSecret } from '../support/secrets';

const HOUR = 60 * 60 * 1000;
const newKey = () => randomBytes(32).toString('base64');

describe('EncryptedStore', () => {
  it('returns the original token after a round trip', async () => {
    const store = new EncryptedStore(new MemoryStore({ sweepIntervalMs: 0 }), newKey());
    const token = secret('round-trip-');
    await store.set('k', token, Date.now() + HOUR);
    expect(await store.get('k')).toBe(token);
  });

  it('hands the inner store ciphertext only, with a fresh IV for every value', async () => {
    const inner = new MemoryStore({ sweepIntervalMs: 0 });
    const store = new EncryptedStore(inner, newKey());
    const token = secret('same-token-twice-');
    await store.set('a', token, Date.now() + HOUR);
    await store.set('b', token, Date.now() + HOUR);
    const a = await inner.get('a');
    const b = await inner.get('b');
    expect(a).not.toContain(token);
    expect(a).not.toBe(b);
  });

  it('treats a tampered value as missing and counts it', async () => {
    const metrics = new SpectroCloudAuthMetrics();
    const inner = new MemoryStore({ sweepIntervalMs: 0 });
    const store = new EncryptedStore(inner, newKey(), { metrics });
    await store.set('k', secret('tamper-me-'), Date.now() + HOUR);
    const sealed = (await inner.get('k'))!;
    const raw = Buffer.from(sealed.slice('scv1.'.length), 'base64url');
    raw[raw.length - 1] ^= 0x01; // flip one ciphertext bit
    await inner.set('k', `scv1.${raw.toString('base64url')}`, Date.now() + HOUR);
    expect(await store.get('k')).toBeUndefined();
    expect(metrics.snapshot().tokenStore.undecryptable).toBe(1);
  });

  it('treats a value moved onto another key as missing (the key is authenticated data)', async () => {
    const inner = new MemoryStore({ sweepIntervalMs: 0 });
    const store = new EncryptedStore(inner, newKey());
    await store.set('ref:user:default/bob', secret('bobs-token-'), Date.now() + HOUR);
    await inner.set('ref:user:default/mallory', (await inner.get('ref:user:default/bob'))!, Date.now() + HOUR);
    expect(await store.get('ref:user:default/mallory')).toBeUndefined();
  });

  it('treats a plaintext value (written before encryption was enabled) as missing', async () => {
    const inner = new MemoryStore({ sweepIntervalMs: 0 });
    await inner.set('k', secret('plain-old-token-'), Date.now() + HOUR);
    expect(await new EncryptedStore(inner, newKey()).get('k')).toBeUndefined();
  });

  it('reads values written with a previous key after a rotation, and writes with the new key', async () => {
    const inner = new MemoryStore({ sweepIntervalMs: 0 });
    const oldKey = newKey();
    const token = secret('rotated-token-');
    await new EncryptedStore(inner, oldKey).set('k', token, Date.now() + HOUR);

    const rotated = new EncryptedStore(inner, newKey(), { previousKeys: [oldKey] });
    expect(await rotated.get('k')).toBe(token);
    await rotated.set('k2', token, Date.now() + HOUR);
    expect(await new EncryptedStore(inner, oldKey).get('k2')).toBeUndefined();
  });

  it('cannot read values written with an unknown key', async () => {
    const inner = new MemoryStore({ sweepIntervalMs: 0 });
    await new EncryptedStore(inner, newKey()).set('k', secret('other-key-'), Date.now() + HOUR);
    expect(await new EncryptedStore(inner, newKey()).get('k')).toBeUndefined();
  });

  it('rejects a key of the wrong length, naming the config key and how to make one', () => {
    const short = randomBytes(16).toString('base64');
    registerSecret(short);
    const error = (() => {
      try {
        new EncryptedStore(new MemoryStore({ sweepIntervalMs: 0 }), short);
      } catch (e) {
        return e as SpectroCloudConfigError;
      }
    })();
    expect(error).toBeInstanceOf(SpectroCloudConfigError);
    expect(error).toMatchObject({ code: 'ERR_CONFIG', configKey: 'auth.providers.spectrocloud.tokenStore.encryptionKey' });
    expect(error!.message).toContain('auth.providers.spectrocloud.tokenStore.encryptionKey');
    expect(error!.message).toContain('got 16 bytes');
    expect(error!.message).toContain('openssl rand -base64 32');
    expect(error!.message).not.toContain(short);
  });

  it('rejects a key that is not base64', () => {
    expect(() => new EncryptedStore(new MemoryStore({ sweepIntervalMs: 0 }), 'correct horse battery staple!!')).toThrow(
      /encryptionKey is not valid base64/,
    );
  });

  it('names the position of a bad previous key', () => {
    expect(
      () => new EncryptedStore(new MemoryStore({ sweepIntervalMs: 0 }), newKey(), { previousKeys: [newKey(), 'c2hvcnQ='] }),
    ).toThrow(/auth\.providers\.spectrocloud\.tokenStore\.previousEncryptionKeys\[1\]/);
  });
});

describe('EncryptedStore over Redis', () => {
  let server: RedisTestServer;
  let raw: Redis;
  beforeAll(async () => {
    server = await startRedisServer();
    raw = new Redis(server.url);
  });
  afterAll(async () => {
    raw?.disconnect();
    await server?.stop();
  });

  it('leaves no plaintext token, e-mail or entity ref anywhere in Redis', async () => {
    const key = newKey();
    registerSecret(key);
    const cache = new PaletteTokenCache({
      store: new EncryptedStore(new RedisStore({ client: server.url }), key),
    });
    const token = jwt.sign({ email: 'alice@example.com' }, randomBytes(32), { algorithm: 'HS256', expiresIn: '1h' });
    registerSecret(token);
    await cache.remember({
      userEntityRef: 'user:default/alice',
      email: 'alice@example.com',
      sessionToken: token,
      expiresAt: Date.now() + HOUR,
    });
    expect((await cache.forUser('user:default/alice'))?.sessionToken).toBe(token);

    const keys = await raw.keys('*');
    expect(keys).toHaveLength(2);
    const dump = (await Promise.all(keys.map(async k => `${k}=${await raw.get(k)}`))).join('\n');
    for (const plaintext of [token, 'alice', 'example.com', 'user:default']) expect(dump).not.toContain(plaintext);
    await cache.close();
  });
});

function secret(prefix: string): string {
  const value = `${prefix}${randomBytes(12).toString('hex')}`;
  registerSecret(value);
  return value;
}
