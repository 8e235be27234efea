import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { afterEach, describe, expect, it } from 'vitest';
import {
  PaletteTokenCache,
  seedCompatibleApi,
  type SpectroCloudStore,
} from '../../src/paletteTokens';
import { MemoryStore } from '../../src/ttlStore/memoryStore';
import { isPaletteToken } from '../../src/paletteTokens/capture/capture';
import { registerSecret } from '../support/secrets';

const HOUR = 60 * 60 * 1000;

/** A Palette-like session token: HS256, signed with a key only "SpectroCloud" knows. */
function paletteToken(claims: Record<string, unknown> = {}, expiresInSeconds = 3600): string {
  const token = jwt.sign({ email: 'someone@example.com', ...claims }, randomBytes(32), {
    algorithm: 'HS256',
    expiresIn: expiresInSeconds,
  });
  registerSecret(token);
  return token;
}

describe('PaletteTokenCache', () => {
  let now = Date.now();
  const clock = () => now;
  const newCache = () => new PaletteTokenCache({ store: new MemoryStore({ clock, sweepIntervalMs: 0 }), clock });
  afterEach(() => {
    now = Date.now();
  });

  it('finds a remembered session by entity ref and by e-mail', async () => {
    const cache = newCache();
    const sessionToken = paletteToken();
    await cache.remember({ userEntityRef: 'user:default/alice', email: 'Alice@Example.com', sessionToken, expiresAt: now + HOUR / 2 });
    expect(await cache.forUser('user:default/alice')).toEqual({
      sessionToken,
      expiresAt: now + HOUR / 2,
      userEntityRef: 'user:default/alice',
      email: 'alice@example.com',
    });
    expect((await cache.forEmail('alice@example.com'))?.sessionToken).toBe(sessionToken);
  });

  it('matches entity refs and e-mails case-insensitively', async () => {
    const cache = newCache();
    const sessionToken = paletteToken();
    await cache.remember({ userEntityRef: 'user:default/Alice', email: 'alice@example.com', sessionToken, expiresAt: now + HOUR });
    expect((await cache.forUser('User:Default/alice'))?.sessionToken).toBe(sessionToken);
    expect((await cache.forEmail('ALICE@example.COM'))?.sessionToken).toBe(sessionToken);
  });

  it("never keeps a session past the session token's own exp", async () => {
    const cache = newCache();
    const sessionToken = paletteToken({}, 60);
    const ownExpiry = (jwt.decode(sessionToken) as { exp: number }).exp * 1000;
    await cache.remember({ userEntityRef: 'user:default/alice', sessionToken, expiresAt: now + HOUR });
    expect((await cache.forUser('user:default/alice'))?.expiresAt).toBe(ownExpiry);
    now = ownExpiry;
    expect(await cache.forUser('user:default/alice')).toBeUndefined();
  });

  it("keeps the caller's earlier expiresAt when the token lives longer", async () => {
    const cache = newCache();
    await cache.remember({ userEntityRef: 'user:default/alice', sessionToken: paletteToken(), expiresAt: now + 1_000 });
    now += 1_000;
    expect(await cache.forUser('user:default/alice')).toBeUndefined();
  });

  it('forgets a session by entity ref and e-mail', async () => {
    const cache = newCache();
    await cache.remember({ userEntityRef: 'user:default/alice', email: 'alice@example.com', sessionToken: paletteToken(), expiresAt: now + HOUR });
    await cache.forget({ userEntityRef: 'user:default/alice', email: 'alice@example.com' });
    expect(await cache.forUser('user:default/alice')).toBeUndefined();
    expect(await cache.forEmail('alice@example.com')).toBeUndefined();
  });

  it("drops the old e-mail's entry when a user signs in with a new e-mail", async () => {
    const cache = newCache();
    await cache.remember({ userEntityRef: 'user:default/alice', email: 'old@example.com', sessionToken: paletteToken(), expiresAt: now + HOUR });
    await cache.remember({ userEntityRef: 'user:default/alice', email: 'new@example.com', sessionToken: paletteToken(), expiresAt: now + HOUR });
    expect(await cache.forEmail('old@example.com')).toBeUndefined();
    expect(await cache.forEmail('new@example.com')).toBeDefined();
  });

  it('does not store a session that has already expired, and drops the older one', async () => {
    const cache = newCache();
    await cache.remember({ userEntityRef: 'user:default/alice', sessionToken: paletteToken(), expiresAt: now + HOUR });
    await cache.remember({ userEntityRef: 'user:default/alice', sessionToken: paletteToken(), expiresAt: now - 1 });
    expect(await cache.forUser('user:default/alice')).toBeUndefined();
  });

  it('requires an entity ref or an e-mail, and a session token', async () => {
    const cache = newCache();
    await expect(cache.remember({ sessionToken: paletteToken(), expiresAt: now + HOUR })).rejects.toThrow(/userEntityRef or an email/);
    await expect(cache.remember({ userEntityRef: 'user:default/a', sessionToken: '', expiresAt: now + HOUR })).rejects.toThrow(
      /non-empty sessionToken/,
    );
  });

  it('serves as the sign-in handler\'s session-token hooks (extra "req" field accepted)', async () => {
    const cache = newCache();
    const sessionToken = paletteToken();
    await cache.remember({ req: {}, userEntityRef: 'user:default/alice', email: 'alice@example.com', sessionToken, expiresAt: now + HOUR } as Parameters<PaletteTokenCache['remember']>[0]);
    expect((await cache.forUser('user:default/alice'))?.sessionToken).toBe(sessionToken);
  });
});

describe('PaletteTokenCache: one entry per user, a pointer per e-mail', () => {
  /** A real MemoryStore that counts the calls made to it. */
  function countingStore() {
    const inner = new MemoryStore({ sweepIntervalMs: 0 });
    const calls = { get: 0, set: 0, delete: 0 };
    const store: SpectroCloudStore & { calls: typeof calls; size: number } = {
      calls,
      get size() {
        return inner.size;
      },
      get: key => ((calls.get += 1), inner.get(key)),
      set: (key, value, expiresAt) => ((calls.set += 1), inner.set(key, value, expiresAt)),
      delete: key => ((calls.delete += 1), inner.delete(key)),
      close: () => inner.close(),
    };
    return store;
  }
  const HOUR_AHEAD = () => Date.now() + HOUR;

  it('keeps one entry per user in the store and the e-mail pointer in the index', async () => {
    const store = countingStore();
    const index = countingStore();
    const cache = new PaletteTokenCache({ store, index });
    await cache.remember({ userEntityRef: 'user:default/alice', email: 'alice@example.com', sessionToken: paletteToken(), expiresAt: HOUR_AHEAD() });
    await cache.remember({ userEntityRef: 'user:default/bob', sessionToken: paletteToken(), expiresAt: HOUR_AHEAD() });
    await cache.remember({ email: 'carol@example.com', sessionToken: paletteToken(), expiresAt: HOUR_AHEAD() });
    expect(store.size).toBe(3);
    expect(index.size).toBe(1);
    // The pointer's key is a hash of the e-mail (the e-mail itself is in the entry); its value the plain entity ref.
    const pointerKey = `ei:${createHash('sha256').update('alice@example.com').digest('base64url').slice(0, 12)}`;
    expect(await index.get(pointerKey)).toBe('user:default/alice');
  });

  it('remembers without reading, and finds a verified user with exactly one store read', async () => {
    const store = countingStore();
    const cache = new PaletteTokenCache({ store });
    await cache.remember({ userEntityRef: 'user:default/alice', email: 'old@example.com', sessionToken: paletteToken(), expiresAt: HOUR_AHEAD() });
    await cache.remember({ userEntityRef: 'user:default/alice', email: 'new@example.com', sessionToken: paletteToken(), expiresAt: HOUR_AHEAD() });
    expect(store.calls.get).toBe(0);
    expect(await cache.forUser('user:default/alice')).toMatchObject({ email: 'new@example.com', userEntityRef: 'user:default/alice' });
    expect(store.calls.get).toBe(1);
  });

  it('reads a stale pointer as a miss: the entry it points to names another e-mail', async () => {
    const cache = new PaletteTokenCache({ store: countingStore() });
    await cache.remember({ userEntityRef: 'user:default/alice', email: 'old@example.com', sessionToken: paletteToken(), expiresAt: HOUR_AHEAD() });
    await cache.remember({ userEntityRef: 'user:default/alice', email: 'new@example.com', sessionToken: paletteToken(), expiresAt: HOUR_AHEAD() });
    expect(await cache.forEmail('old@example.com')).toBeUndefined();
    expect(await cache.forEmail('new@example.com')).toMatchObject({ userEntityRef: 'user:default/alice' });
  });

  it('hands an e-mail taken over by another user to that user only', async () => {
    const cache = new PaletteTokenCache({ store: countingStore() });
    await cache.remember({ userEntityRef: 'user:default/alice', email: 'shared@example.com', sessionToken: paletteToken(), expiresAt: HOUR_AHEAD() });
    const bobs = paletteToken();
    await cache.remember({ userEntityRef: 'user:default/bob', email: 'shared@example.com', sessionToken: bobs, expiresAt: HOUR_AHEAD() });
    expect(await cache.forEmail('shared@example.com')).toMatchObject({ userEntityRef: 'user:default/bob', sessionToken: bobs });
  });

  it('still reads entries written by the two-entry layout (JSON with r, under the full ref key)', async () => {
    const store = countingStore();
    const cache = new PaletteTokenCache({ store });
    const token = paletteToken();
    await store.set('ref:user:default/alice', JSON.stringify({ t: token, x: HOUR_AHEAD(), r: 'user:default/alice', e: 'alice@example.com' }), HOUR_AHEAD());
    expect(await cache.forUser('user:default/alice')).toMatchObject({ sessionToken: token, email: 'alice@example.com' });
  });

  it('keys a user by the full entity ref, still finds an entry under the ref:~name key the previous release wrote, and forgets both', async () => {
    const store = countingStore();
    const cache = new PaletteTokenCache({ store });
    const token = paletteToken();
    await store.set('ref:~carol', `${token}  carol@example.com`, HOUR_AHEAD());
    expect(await cache.forUser('user:default/carol')).toMatchObject({ sessionToken: token, email: 'carol@example.com' });
    await cache.remember({ userEntityRef: 'user:default/dave', sessionToken: token, expiresAt: HOUR_AHEAD() });
    await cache.remember({ userEntityRef: 'user:other/erin', sessionToken: token, expiresAt: HOUR_AHEAD() });
    expect(await store.get('ref:user:default/dave')).toBeDefined();
    expect(await store.get('ref:user:other/erin')).toBeDefined();
    await cache.forget({ userEntityRef: 'user:default/carol' });
    expect(await store.get('ref:~carol')).toBeUndefined();
    expect(await cache.forUser('user:default/carol')).toBeUndefined();
  });

  it('refuses a ref starting with ~ (the abbreviation of user:default/) instead of reading it as another user', async () => {
    const cache = new PaletteTokenCache({ store: countingStore() });
    await cache.remember({ userEntityRef: 'user:default/alice', sessionToken: paletteToken(), expiresAt: HOUR_AHEAD() });
    expect(await cache.forUser('~alice')).toBeUndefined();
    await expect(cache.remember({ userEntityRef: '~alice', sessionToken: paletteToken(), expiresAt: HOUR_AHEAD() })).rejects.toThrow(/needs a userEntityRef or an email/);
    expect(await cache.forUser('user:default/alice')).toBeDefined();
  });

  it('waits for both writes and reports a failed one', async () => {
    const store = countingStore();
    const broken: SpectroCloudStore = { ...store, set: async () => Promise.reject(new Error('index down')) };
    const cache = new PaletteTokenCache({ store, index: broken });
    await expect(
      cache.remember({ userEntityRef: 'user:default/alice', email: 'alice@example.com', sessionToken: paletteToken(), expiresAt: HOUR_AHEAD() }),
    ).rejects.toThrow('index down');
    expect(store.size).toBe(1);
  });
});

describe('isPaletteToken', () => {
  it('recognises an HS256 JWT', () => {
    expect(isPaletteToken(paletteToken())).toBe(true);
  });

  it('rejects an RS256 JWT such as the ID token', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const idToken = jwt.sign({ sub: 'x' }, privateKey, { algorithm: 'RS256' });
    registerSecret(idToken);
    expect(isPaletteToken(idToken)).toBe(false);
  });

  it('rejects an HS256 JWT whose typ is not JWT', () => {
    const token = jwt.sign({ sub: 'x' }, randomBytes(32), { algorithm: 'HS256', header: { alg: 'HS256', typ: 'at+jwt' } });
    registerSecret(token);
    expect(isPaletteToken(token)).toBe(false);
  });

  it('rejects opaque strings, malformed JWTs and non-strings without throwing', () => {
    const header = Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url');
    for (const value of [undefined, null, 42, {}, '', 'opaque-refresh-token', 'a.b.c', `${header}.bm90IGpzb24.sig`]) {
      expect(isPaletteToken(value)).toBe(false);
    }
  });
});

describe('seed compatibility: storeSessionToken / getSessionTokenByEmail', () => {
  it('stores and reads a token by e-mail in the cache it was given (the caller is trusted)', async () => {
    const { storeSessionToken, getSessionTokenByEmail } = seedCompatibleApi(
      new PaletteTokenCache({ store: new MemoryStore({ sweepIntervalMs: 0 }) }),
    );
    const token = paletteToken();
    await storeSessionToken('Bob@Example.com', token, Date.now() + HOUR);
    expect(await getSessionTokenByEmail('bob@example.com')).toBe(token);
    expect(await getSessionTokenByEmail('mallory@example.com')).toBeUndefined();
  });

  it('works on the cache it was given, and only on that one', async () => {
    const store = new MemoryStore({ sweepIntervalMs: 0 });
    const other = new MemoryStore({ sweepIntervalMs: 0 });
    const { storeSessionToken } = seedCompatibleApi(new PaletteTokenCache({ store }));
    seedCompatibleApi(new PaletteTokenCache({ store: other }));
    await storeSessionToken('carol@example.com', paletteToken(), Date.now() + HOUR);
    expect(store.size).toBe(1);
    expect(other.size).toBe(0);
  });
});

describe('PaletteTokenCache: the versioned entry', () => {
  const HOUR = 3600_000;

  it('round-trips token, expiry and e-mail as plain versioned JSON, the expiry clamped to the token\'s own', async () => {
    const store = new MemoryStore({ sweepIntervalMs: 0 });
    const cache = new PaletteTokenCache({ store });
    const token = paletteToken();
    const ownExpiry = (jwt.decode(token) as jwt.JwtPayload).exp! * 1000;
    await cache.remember({ userEntityRef: 'user:default/alice', email: 'alice@example.com', sessionToken: token, expiresAt: ownExpiry + HOUR });
    expect(JSON.parse((await store.get('ref:user:default/alice'))!)).toEqual({ v: 1, t: token, x: ownExpiry, e: 'alice@example.com' });
    expect(await cache.forUser('user:default/alice')).toEqual({ sessionToken: token, expiresAt: ownExpiry, userEntityRef: 'user:default/alice', email: 'alice@example.com' });
    const earlier = ownExpiry - 60_000;
    await cache.remember({ userEntityRef: 'user:default/bob', sessionToken: token, expiresAt: earlier });
    expect(JSON.parse((await store.get('ref:user:default/bob'))!)).toEqual({ v: 1, t: token, x: earlier });
    expect(await cache.forUser('user:default/bob')).toEqual({ sessionToken: token, expiresAt: earlier, userEntityRef: 'user:default/bob' });
  });

  it('keeps a token that could not be told from the layout as JSON, and reads it back exactly', async () => {
    const store = new MemoryStore({ sweepIntervalMs: 0 });
    const cache = new PaletteTokenCache({ store });
    for (const [ref, odd] of [['user:default/a', 'opaque token with spaces'], ['user:default/b', '{"not":"json']] as const) {
      registerSecret(odd);
      await cache.remember({ userEntityRef: ref, email: 'x@example.com', sessionToken: odd, expiresAt: Date.now() + HOUR });
      expect(await cache.forUser(ref)).toMatchObject({ sessionToken: odd, email: 'x@example.com' });
    }
  });

  it('reads a value it did not write as a miss', async () => {
    const store = new MemoryStore({ sweepIntervalMs: 0 });
    const cache = new PaletteTokenCache({ store });
    await store.set('ref:~alice', 'no-spaces-here', Date.now() + HOUR);
    expect(await cache.forUser('user:default/alice')).toBeUndefined();
  });
});
