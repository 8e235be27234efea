import { afterEach, describe, expect, it } from 'vitest';
import { spectrocloud } from '../../src';
import { PaletteTokenCache } from '../../src/paletteTokens';
import { MemoryStore } from '../../src/ttlStore/memoryStore';
import { signIn, startFixture, type Fixture } from '../support/spectroFixture';

/*
 * `spectrocloud.create({ paletteTokenCache })`, the one-vocabulary name of the released
 * `sessionTokenCache` option (issue 25): either name puts the signed-in user's Palette token
 * into the cache given; both naming different caches is refused at create(), naming both keys.
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

const newCache = () => new PaletteTokenCache({ store: new MemoryStore() });

describe('spectrocloud.create({ paletteTokenCache })', () => {
  it('keeps the Palette token of a sign-in in the cache given as paletteTokenCache', async () => {
    const cache = newCache();
    await signInAliceWith({ paletteTokenCache: cache });
    const kept = await cache.forUser(ALICE);
    expect(fixture!.emulator.verifySessionToken(kept!.sessionToken)).toMatchObject({ email: 'alice@example.com' });
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
