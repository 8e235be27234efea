import { describe, expect, it } from 'vitest';
import { SignInCache } from '../../src/refreshShortcuts/SignInCache';

/*
 * The per-session sign-in resolution cache: reused only for the same session
 * holding the same tokens, only for `reuseForMs`, never after a failure.
 * The clock is a variable the tests move.
 */
function setup(options: { reuseForMs?: number; maxEntries?: number } = {}) {
  let now = 1_800_000_000_000;
  let calls = 0;
  const cache = new SignInCache<string>({ ...options, clock: () => now });
  const resolve = (value = 'token-1') => () => {
    calls += 1;
    return Promise.resolve(value);
  };
  return { cache, resolve, calls: () => calls, move: (ms: number) => (now += ms) };
}
const KEY = { sessionId: 'session-a', idToken: 'id-token-1', accessToken: 'access-1' };

describe('SignInCache', () => {
  it('resolves once for refreshes of one session within the reuse time', async () => {
    const { cache, resolve, calls, move } = setup({ reuseForMs: 10_000 });
    expect(await cache.resolve(KEY, resolve())).toBe('token-1');
    move(9_999);
    expect(await cache.resolve(KEY, resolve('token-2'))).toBe('token-1');
    expect(calls()).toBe(1);
  });

  it('asks the catalog again once the reuse time is over: a removed user gets no token issued later than that', async () => {
    const { cache, resolve, calls, move } = setup({ reuseForMs: 10_000 });
    await cache.resolve(KEY, resolve());
    move(10_000);
    expect(await cache.resolve(KEY, resolve('token-2'))).toBe('token-2');
    expect(calls()).toBe(2);
  });

  it('resolves again when the session holds other tokens, or for another session', async () => {
    const { cache, resolve, calls } = setup();
    await cache.resolve(KEY, resolve());
    await cache.resolve({ ...KEY, idToken: 'id-token-2' }, resolve());
    await cache.resolve({ ...KEY, accessToken: 'access-2' }, resolve());
    await cache.resolve({ ...KEY, sessionId: 'session-b' }, resolve());
    expect(calls()).toBe(4);
  });

  it('keeps no failure: a refused user is asked about again on the next refresh', async () => {
    const { cache, resolve, calls } = setup();
    await expect(cache.resolve(KEY, () => Promise.reject(new Error('not in the catalog')))).rejects.toThrow('not in the catalog');
    expect(await cache.resolve(KEY, resolve())).toBe('token-1');
    expect(calls()).toBe(1);
    expect(cache.size).toBe(1);
  });

  it('shares one resolution between concurrent refreshes of one session', async () => {
    const { cache, resolve, calls } = setup();
    const results = await Promise.all([cache.resolve(KEY, resolve()), cache.resolve(KEY, resolve()), cache.resolve(KEY, resolve())]);
    expect(results).toEqual(['token-1', 'token-1', 'token-1']);
    expect(calls()).toBe(1);
  });

  it('does not reuse after the clock moved back past the resolution', async () => {
    const { cache, resolve, calls, move } = setup({ reuseForMs: 10_000 });
    await cache.resolve(KEY, resolve());
    move(-1);
    await cache.resolve(KEY, resolve());
    expect(calls()).toBe(2);
  });

  it('always resolves without a key (a sign-in) or with the reuse time at 0', async () => {
    const off = setup({ reuseForMs: 0 });
    await off.cache.resolve(KEY, off.resolve());
    await off.cache.resolve(KEY, off.resolve());
    expect(off.calls()).toBe(2);
    const on = setup();
    await on.cache.resolve(undefined, on.resolve());
    await on.cache.resolve(undefined, on.resolve());
    expect(on.calls()).toBe(2);
  });

  it('forgets a signed-out session, and holds at most maxEntries sessions (least recently used out)', async () => {
    const { cache, resolve, calls } = setup({ maxEntries: 2 });
    await cache.resolve(KEY, resolve());
    cache.forget(KEY.sessionId);
    await cache.resolve(KEY, resolve());
    expect(calls()).toBe(2);
    await cache.resolve({ ...KEY, sessionId: 'session-b' }, resolve());
    await cache.resolve(KEY, resolve()); // a hit: session-a becomes the most recent
    await cache.resolve({ ...KEY, sessionId: 'session-c' }, resolve());
    expect(cache.size).toBe(2);
    await cache.resolve(KEY, resolve());
    expect(calls()).toBe(4);
  });
});
