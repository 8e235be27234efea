import { createHash, randomBytes } from 'node:crypto';
import { CacheManager } from '@backstage/backend-common';
import { ConfigReader } from '@backstage/config';
import jwt from 'jsonwebtoken';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PaletteTokenCache, seedCompatibleApi } from '../../src/paletteTokens';
import { EncryptedStore } from '../../src/paletteTokens/stores/encryptedStore';
import { RedisStore } from '../../src/paletteTokens/stores/redisStore';
import { BackstageCacheStore } from '../../src/paletteTokens/stores/backstageCacheStore';
import { type RedisTestServer, startRedisServer } from '../support/redisServer';
import { registerSecret } from '../support/secrets';

/*
 * Each store owns its format (issue 25, point 5): a shared store (Redis here) holds
 * the Palette-token entry as plain versioned JSON, and a reader of this release still
 * reads what the previous release wrote there (the memory store's packing: `~` for
 * `user:default/`, base-36 expiry), so a rolling upgrade signs nobody out of their
 * Palette token. Written through a real redis-server, read back raw.
 */
const HOUR = 60 * 60 * 1000;

function paletteToken(): string {
  const token = jwt.sign({ email: 'someone@example.com' }, randomBytes(32), { algorithm: 'HS256', expiresIn: 3600 });
  registerSecret(token);
  return token;
}
const ownExpiry = (token: string) => (jwt.decode(token) as jwt.JwtPayload).exp! * 1000;

describe('the Palette-token entry in a shared store', () => {
  let server: RedisTestServer;
  const stores: RedisStore[] = [];
  const redis = () => {
    const store = new RedisStore({ client: server.url });
    stores.push(store);
    return store;
  };

  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map(s => s.close()));
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('is plain versioned JSON under the full entity ref, and the e-mail pointer is the plain entity ref', async () => {
    const store = redis();
    const cache = new PaletteTokenCache({ store });
    const token = paletteToken();
    await cache.remember({ userEntityRef: 'user:default/Alice', email: 'Alice@Example.com', sessionToken: token, expiresAt: Date.now() + 2 * HOUR });
    expect(JSON.parse((await store.get('ref:user:default/alice'))!)).toEqual({ v: 1, t: token, x: ownExpiry(token), e: 'alice@example.com' });
    expect(await store.get('ref:~alice')).toBeUndefined();
    expect(await seedCompatibleApi(cache).getSessionTokenByEmail('alice@example.com')).toBe(token);
  });

  it('keeps the field names the previous release reads (t, x, e), so a replica not yet upgraded reads it', async () => {
    const store = redis();
    const token = paletteToken();
    await new PaletteTokenCache({ store }).remember({ userEntityRef: 'user:other/bob', email: 'bob@example.com', sessionToken: token, expiresAt: Date.now() + HOUR });
    const record = JSON.parse((await store.get('ref:user:other/bob'))!) as Record<string, unknown>;
    expect(typeof record.t).toBe('string');
    expect(typeof record.x).toBe('number');
    expect(record.e).toBe('bob@example.com');
  });

  it("reads the previous release's packed entries, under its ref:~name key and its ~name pointer, and forgets them at sign-out", async () => {
    const store = redis();
    const cache = new PaletteTokenCache({ store });
    const carol = paletteToken();
    const dave = paletteToken();
    const daveExpiry = ownExpiry(dave) - 60_000;
    // What the previous release wrote: `<token> <expiry base 36, empty when the token's own> <e-mail>`.
    await store.set('ref:~carol', `${carol}  carol@example.com`, Date.now() + HOUR);
    await store.set(`ei:${pointerHash('carol@example.com')}`, '~carol', Date.now() + HOUR);
    await store.set('ref:~dave', `${dave} ${daveExpiry.toString(36)} `, Date.now() + HOUR);
    expect(await cache.forUser('user:default/carol')).toEqual({ sessionToken: carol, expiresAt: ownExpiry(carol), userEntityRef: 'user:default/carol', email: 'carol@example.com' });
    expect(await cache.forEmail('carol@example.com')).toMatchObject({ sessionToken: carol, userEntityRef: 'user:default/carol' });
    expect(await cache.forUser('user:default/dave')).toEqual({ sessionToken: dave, expiresAt: daveExpiry, userEntityRef: 'user:default/dave' });
    await cache.forget({ userEntityRef: 'user:default/carol', email: 'carol@example.com' });
    expect(await store.get('ref:~carol')).toBeUndefined();
    expect(await cache.forUser('user:default/carol')).toBeUndefined();
  });

  it('reads the entry this release wrote before one the previous release left behind', async () => {
    const store = redis();
    const cache = new PaletteTokenCache({ store });
    const stale = paletteToken();
    const fresh = paletteToken();
    await store.set('ref:~erin', `${stale}  erin@example.com`, Date.now() + HOUR);
    await cache.remember({ userEntityRef: 'user:default/erin', email: 'erin@example.com', sessionToken: fresh, expiresAt: Date.now() + HOUR });
    expect((await cache.forUser('user:default/erin'))?.sessionToken).toBe(fresh);
  });

  it('reads an entry of a version it does not know as a miss, not as a guess', async () => {
    const store = redis();
    const cache = new PaletteTokenCache({ store });
    await store.set('ref:user:default/frank', JSON.stringify({ v: 2, t: paletteToken(), x: Date.now() + HOUR }), Date.now() + HOUR);
    expect(await cache.forUser('user:default/frank')).toBeUndefined();
  });

  it('encrypts the same plain record when an encryption key is set (the format is the cache\'s, the sealing the store\'s)', async () => {
    const inner = redis();
    const key = randomBytes(32);
    const cache = new PaletteTokenCache({ store: new EncryptedStore(inner, key) });
    const token = paletteToken();
    await cache.remember({ userEntityRef: 'user:default/gina', sessionToken: token, expiresAt: Date.now() + HOUR });
    const sealed = (await inner.get('ref:user:default/gina'))!;
    expect(sealed.startsWith('scv1.')).toBe(true);
    expect(sealed).not.toContain(token.split('.')[1]);
    expect(JSON.parse((await new EncryptedStore(inner, key).get('ref:user:default/gina'))!)).toMatchObject({ v: 1, t: token });
  });
});

function pointerHash(email: string): string {
  return createHash('sha256').update(email).digest('base64url').slice(0, 12);
}

describe("the Palette-token entry in Backstage's cache (backend.cache: memory)", () => {
  it("is the same plain versioned JSON, and the previous release's packed entry is still read", async () => {
    const cacheClient = CacheManager.fromConfig(new ConfigReader({ backend: { cache: { store: 'memory' } } })).forPlugin('auth').getClient();
    const store = new BackstageCacheStore({ cache: cacheClient });
    const cache = new PaletteTokenCache({ store });
    const token = paletteToken();
    await cache.remember({ userEntityRef: 'user:default/hana', email: 'hana@example.com', sessionToken: token, expiresAt: Date.now() + HOUR });
    expect(JSON.parse((await store.get('ref:user:default/hana'))!)).toEqual({ v: 1, t: token, x: ownExpiry(token), e: 'hana@example.com' });
    const previous = paletteToken();
    await store.set('ref:~ivan', `${previous}  ivan@example.com`, Date.now() + HOUR);
    expect(await cache.forUser('user:default/ivan')).toMatchObject({ sessionToken: previous, email: 'ivan@example.com' });
  });
});
