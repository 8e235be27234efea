import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { spectrocloud } from '../../src';
import { PaletteTokenCache } from '../../src/paletteTokens';
import { MemoryStore } from '../../src/ttlStore/memoryStore';
import { authorize, CookieJar, signIn, startFixture, startSignIn, type Fixture } from '../support/spectroFixture';

/*
 * The options of `spectrocloud.create()` renamed to the one vocabulary (issue 25), each still read
 * under its released name: `paletteTokenCache` (was `sessionTokenCache`) and `paletteTokenCookiePath`
 * (was `sessionCookiePath`). Either name works; both naming different values is refused at create(),
 * naming both keys.
 */
const ALICE = 'user:default/alice';

let fixture: Fixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

async function signInAliceWith(provider: Parameters<typeof spectrocloud.create>[0]): Promise<void> {
  fixture = await startFixture({ provider });
  const { frame } = await signIn(fixture, 'alice@example.com');
  expect(frame.message.error).toBeUndefined();
}

/** The Set-Cookie of the sign-in's callback for the seeds' `spectrocloud-api-token` cookie. */
async function paletteTokenCookieOfSignIn(provider: Parameters<typeof spectrocloud.create>[0]): Promise<string | undefined> {
  fixture = await startFixture({ provider, tokenStore: { paletteTokenCookie: true } });
  const jar = new CookieJar();
  const start = await startSignIn(fixture, jar);
  const callbackUrl = new URL(await authorize(start.headers.location, 'alice@example.com'));
  const answer = await request(fixture.backend.url).get(callbackUrl.pathname + callbackUrl.search).set('Cookie', jar.header());
  const cookies = ([] as string[]).concat(answer.headers['set-cookie'] ?? []);
  jar.update(cookies);
  return cookies.find(cookie => cookie.startsWith('spectrocloud-api-token='));
}

const newCache = () => new PaletteTokenCache({ store: new MemoryStore() });

describe('spectrocloud.create({ paletteTokenCache })', () => {
  it('keeps the Palette token of a sign-in in the cache given as paletteTokenCache', async () => {
    const cache = newCache();
    await signInAliceWith({ paletteTokenCache: cache });
    const kept = await cache.forUser(ALICE);
    expect(fixture!.emulator.verifyPaletteToken(kept!.sessionToken)).toMatchObject({ email: 'alice@example.com' });
  });

  it('still reads the released name sessionTokenCache (deprecated)', async () => {
    const cache = newCache();
    await signInAliceWith({ sessionTokenCache: cache });
    expect(await cache.forUser(ALICE)).toBeDefined();
  });

  it('accepts both names given the same cache', async () => {
    const cache = newCache();
    await signInAliceWith({ paletteTokenCache: cache, sessionTokenCache: cache });
    expect(await cache.forUser(ALICE)).toBeDefined();
  });

  it('refuses both names given different caches, naming both keys', () => {
    let thrown: unknown;
    try {
      spectrocloud.create({ paletteTokenCache: newCache(), sessionTokenCache: newCache() });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(TypeError);
    expect((thrown as Error).message).toMatch(/paletteTokenCache/);
    expect((thrown as Error).message).toMatch(/sessionTokenCache/);
    expect((thrown as Error).message).toMatch(/Keep only paletteTokenCache/);
  });
});

describe('spectrocloud.create({ paletteTokenCookiePath })', () => {
  it('scopes the spectrocloud-api-token cookie to the path given as paletteTokenCookiePath', async () => {
    expect(await paletteTokenCookieOfSignIn({ paletteTokenCookiePath: '/api/palette-plugin' })).toMatch(/Path=\/api\/palette-plugin(;|$)/);
  });

  it('still reads the released name sessionCookiePath (deprecated)', async () => {
    expect(await paletteTokenCookieOfSignIn({ sessionCookiePath: '/api/palette-plugin' })).toMatch(/Path=\/api\/palette-plugin(;|$)/);
  });

  it('refuses both names given different paths, naming both keys', () => {
    expect(() => spectrocloud.create({ paletteTokenCookiePath: '/api/a', sessionCookiePath: '/api/b' })).toThrow(
      /paletteTokenCookiePath and sessionCookiePath are both given.*Keep only paletteTokenCookiePath/,
    );
  });
});
