import { describe, expect, it } from 'vitest';
import type { AuthResolverContext, BackstageSignInResult } from '@backstage/plugin-auth-node';
import { ReusedSignIns } from '../../src/newBackend/reusedSignIns';
import type { SpectroCloudAuthResult } from '../../src/profile';

/*
 * The module's wrapped sign-in resolver, on the real SignInCache: what the
 * route handler's repeated resolver calls get (test/signIn/signInReuse.test.ts
 * shows the same on a running backend).
 */
function setup() {
  let now = 1_000_000;
  const signIns = new ReusedSignIns(() => now);
  const outcomes: Array<() => Promise<BackstageSignInResult>> = [];
  let calls = 0;
  const resolver = signIns.wrap(async () => {
    calls += 1;
    const next = outcomes.shift();
    return next ? next() : { token: `backstage-token-${calls}` };
  });
  const context = {} as AuthResolverContext;
  const result = (sessionId: string | undefined, idToken = 'id-1', accessToken = 'access-1') => {
    const authResult = { params: { id_token: idToken }, accessToken } as unknown as SpectroCloudAuthResult;
    if (sessionId) signIns.belongsTo(authResult, sessionId);
    return authResult;
  };
  const resolve = (r: SpectroCloudAuthResult) => resolver({ profile: {}, result: r }, context);
  return { signIns, resolve, result, outcomes, calls: () => calls, move: (ms: number) => (now += ms) };
}

describe("the module's sign-in reuse around the resolver", () => {
  it('reuses one resolution for results of the same session with the same tokens for 10 s, then asks again', async () => {
    const { resolve, result, calls, move } = setup();
    await resolve(result('s1'));
    move(9_999);
    expect(await resolve(result('s1'))).toEqual({ token: 'backstage-token-1' });
    move(1);
    expect(await resolve(result('s1'))).toEqual({ token: 'backstage-token-2' });
    expect(calls()).toBe(2);
  });

  it('shares one resolution between concurrent calls of a session', async () => {
    const { resolve, result, calls } = setup();
    const answers = await Promise.all([resolve(result('s1')), resolve(result('s1')), resolve(result('s1'))]);
    expect(answers).toEqual(Array(3).fill({ token: 'backstage-token-1' }));
    expect(calls()).toBe(1);
  });

  it('asks again for another session, or for the same session holding another ID or access token', async () => {
    const { resolve, result, calls } = setup();
    await resolve(result('s1'));
    await resolve(result('s2'));
    await resolve(result('s1', 'id-2'));
    await resolve(result('s1', 'id-2', 'access-2'));
    expect(calls()).toBe(4);
  });

  it('never reuses a result no session was named for', async () => {
    const { resolve, result, calls } = setup();
    await resolve(result(undefined));
    await resolve(result(undefined));
    expect(calls()).toBe(2);
  });

  it('keeps no failed resolution: the next call asks again', async () => {
    const { resolve, result, outcomes, calls } = setup();
    outcomes.push(() => Promise.reject(new Error('not in the catalog')));
    await expect(resolve(result('s1'))).rejects.toThrow('not in the catalog');
    expect(await resolve(result('s1'))).toEqual({ token: 'backstage-token-2' });
    expect(calls()).toBe(2);
  });

  it("drops a signed-out session's resolution: it is not served again", async () => {
    const { signIns, resolve, result, calls } = setup();
    await resolve(result('s1'));
    signIns.forget('s1');
    expect(await resolve(result('s1'))).toEqual({ token: 'backstage-token-2' });
    expect(calls()).toBe(2);
  });
});
