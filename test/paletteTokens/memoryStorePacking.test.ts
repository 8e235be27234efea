import { randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { describe, expect, it } from 'vitest';
import { PaletteTokenCache } from '../../src/paletteTokens';
import { MemoryStore } from '../../src/ttlStore/memoryStore';
import { registerSecret } from '../support/secrets';

/*
 * The memory store packs what it holds its own way (issue 25, point 5: each store owns
 * its format): the Palette-token record's JSON fragments, `user:default/` and the entry's
 * own expiry become one character each. Nobody outside sees it: a value and a key come
 * back exactly as given, whatever characters they hold.
 */
const HOUR = 60 * 60 * 1000;

describe('MemoryStore packing', () => {
  const expiresAt = Date.now() + HOUR;

  it.each([
    ['a plain value', 'opaque'],
    ['the dictionary characters themselves', '\u0001\u0002\u0003\u0004\u0005\u0002\u0001'],
    ['a value that looks like a packed record', '\u0003abc\u0004\u0005x"}'],
    ['the fragments in odd places', `user:default/{"v":1,"t":"","x":${expiresAt},"e":"user:default/`],
    ['a record with another expiry', `{"v":1,"t":"tok","x":${expiresAt + 1},"e":"a@example.com"}`],
    ['a two-byte value', 'ünïcødé ✓ user:default/ ✓'],
  ])('gives back %s exactly', async (_what, value) => {
    const store = new MemoryStore({ sweepIntervalMs: 0 });
    await store.set('k', value, expiresAt);
    expect(await store.get('k')).toBe(value);
  });

  it('keeps keys apart that differ only by what the packing abbreviates', async () => {
    const store = new MemoryStore({ sweepIntervalMs: 0 });
    const keys = ['ref:user:default/alice', 'ref:\u0001alice', 'ref:\u0002\u0001alice', 'ref:~alice', 'ref:user:default/user:default/alice'];
    for (const [i, key] of keys.entries()) await store.set(key, `v${i}`, expiresAt);
    expect(store.size).toBe(keys.length);
    for (const [i, key] of keys.entries()) expect(await store.get(key)).toBe(`v${i}`);
    await store.delete('ref:user:default/alice');
    expect(await store.get('ref:user:default/alice')).toBeUndefined();
    expect(await store.get('ref:\u0001alice')).toBe('v1');
  });

  it("gives the cache back its versioned record exactly, token and e-mail included", async () => {
    const store = new MemoryStore({ sweepIntervalMs: 0 });
    const cache = new PaletteTokenCache({ store });
    const token = jwt.sign({ email: 'jane@example.com' }, randomBytes(32), { algorithm: 'HS256', expiresIn: 3600 });
    registerSecret(token);
    const exp = (jwt.decode(token) as jwt.JwtPayload).exp! * 1000;
    await cache.remember({ userEntityRef: 'user:default/jane', email: 'jane@example.com', sessionToken: token, expiresAt: exp + HOUR });
    expect(JSON.parse((await store.get('ref:user:default/jane'))!)).toEqual({ v: 1, t: token, x: exp, e: 'jane@example.com' });
    expect(await cache.forUser('user:default/jane')).toEqual({ sessionToken: token, expiresAt: exp, userEntityRef: 'user:default/jane', email: 'jane@example.com' });
  });
});
