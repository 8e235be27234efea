import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConcurrentRefreshGrants, type RefreshGrantResult } from '../../src/refreshShortcuts/ConcurrentRefreshGrants';
import { refreshGrantKeys } from '../../src/refreshShortcuts/refreshGrantKeys';
import { EncryptedStore } from '../../src/paletteTokens/stores/encryptedStore';
import { RedisStore } from '../../src/paletteTokens/stores/redisStore';
import { MemoryStore } from '../../src/ttlStore/memoryStore';
import type { SpectroCloudStore } from '../../src/ttlStore/types';
import { redisCommand } from '../support/redisCommand';
import { startRedisServer, type RedisTestServer } from '../support/redisServer';
import { registerSecret } from '../support/secrets';

/**
 * One refresh grant per presented refresh token: in one process (single
 * flight, then the kept result) and across replicas (a claim and a sealed
 * result in a real Redis). Grants are gated by promises the test releases,
 * so "at once" is arranged, never timed.
 */

const HOLD_MS = 30_000;
const CONTEXT = 'spectrocloud:development:session-1';

let counter = 0;
function token(label: string): string {
  const value = `${label}-refresh-token-${++counter}-${'x'.repeat(24)}`;
  registerSecret(value);
  return value;
}

function resultFor(refreshToken: string): RefreshGrantResult {
  return {
    refreshToken,
    idToken: `id-token-for-${refreshToken}`,
    accessToken: `access-token-for-${refreshToken}`,
    params: { scope: 'openid', token_type: 'Bearer' },
    lastGrant: { at: 1, freshUntil: 2 },
  };
}

/** A grant the test lets finish (or fail) when it wants; `calls` counts how often the IdP would have been asked. */
function gatedGrant(result: RefreshGrantResult) {
  let release!: () => void;
  let fail!: (error: Error) => void;
  let entered!: () => void;
  const gate = new Promise<void>((resolve, reject) => {
    release = resolve;
    fail = reject;
  });
  const started = new Promise<void>(resolve => (entered = resolve));
  const grant = { calls: 0, started, release, fail, run: async () => {
    grant.calls++;
    entered();
    await gate;
    return result;
  } };
  return grant;
}

function coordinator(store: SpectroCloudStore, options: { holdMs?: number; clock?: () => number; warnings?: string[] } = {}) {
  const seen = new Set<string>();
  return new ConcurrentRefreshGrants({
    store,
    holdMs: options.holdMs ?? HOLD_MS,
    clock: options.clock ?? Date.now,
    // As the environment's warnOnce: one line per key.
    warnOnce: (key, message) => {
      if (!seen.has(key)) options.warnings?.push(message);
      seen.add(key);
    },
  });
}

describe('in one process (memory store)', () => {
  it('lets 8 refreshes presenting one refresh token share one grant', async () => {
    const presented = token('old');
    const grant = gatedGrant(resultFor(token('new')));
    const grants = coordinator(new MemoryStore());
    const runs = Array.from({ length: 8 }, () => grants.run(presented, CONTEXT, grant.run));
    await grant.started;
    grant.release();
    const answers = await Promise.all(runs);
    expect(grant.calls).toBe(1);
    expect(answers.map(answer => answer.source).sort()).toEqual(['granted', ...Array(7).fill('in-flight')]);
    expect(new Set(answers.map(answer => answer.result.refreshToken)).size).toBe(1);
  });

  it('answers a refresh that arrives after the grant with its kept result, without a second grant', async () => {
    const presented = token('old');
    const grants = coordinator(new MemoryStore());
    const rotated = resultFor(token('new'));
    await grants.run(presented, CONTEXT, async () => rotated);
    let again = 0;
    const late = await grants.run(presented, CONTEXT, async () => (again++, resultFor(token('other'))));
    expect(again).toBe(0);
    expect(late).toEqual({ result: rotated, source: 'shared' });
  });

  it('keeps a result only holdMs: after it, the old refresh token goes to the IdP again (as before)', async () => {
    let now = 1_000_000;
    const clock = () => now;
    const grants = coordinator(new MemoryStore({ clock }), { clock });
    const presented = token('old');
    await grants.run(presented, CONTEXT, async () => resultFor(token('new')));
    now += HOLD_MS;
    let again = 0;
    const late = await grants.run(presented, CONTEXT, async () => (again++, resultFor(token('other'))));
    expect(again).toBe(1);
    expect(late.source).toBe('granted');
  });

  it('never shares a grant between sessions, even for the same refresh token', async () => {
    const presented = token('old');
    const grants = coordinator(new MemoryStore());
    const first = await grants.run(presented, 'spectrocloud:development:session-1', async () => resultFor(token('a')));
    const second = await grants.run(presented, 'spectrocloud:development:session-2', async () => resultFor(token('b')));
    expect(second.source).toBe('granted');
    expect(second.result.refreshToken).not.toBe(first.result.refreshToken);
  });

  it('keeps nothing from a failed grant: every refresh sharing it fails, and the next one asks the IdP again', async () => {
    const presented = token('old');
    const grant = gatedGrant(resultFor(token('new')));
    const grants = coordinator(new MemoryStore());
    const runs = [grants.run(presented, CONTEXT, grant.run), grants.run(presented, CONTEXT, grant.run)];
    await grant.started;
    grant.fail(new Error('invalid_grant'));
    for (const run of runs) await expect(run).rejects.toThrow('invalid_grant');
    const next = await grants.run(presented, CONTEXT, async () => resultFor(token('again')));
    expect(next.source).toBe('granted');
  });
});

describe('across replicas (two coordinators, each its own connection to one real Redis)', () => {
  let redis: RedisTestServer;
  const stores: RedisStore[] = [];
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await Promise.all(stores.map(store => store.close()));
    await redis?.stop();
  });
  function replica(options: { holdMs?: number; warnings?: string[] } = {}) {
    const store = new RedisStore({ client: redis.url, keyPrefix: 'race-test:' });
    stores.push(store);
    return { store, grants: coordinator(store, options) };
  }

  it('the loser waits for the winner and answers with its result: one grant', async () => {
    const [a, b] = [replica(), replica()];
    const presented = token('old');
    const winner = gatedGrant(resultFor(token('new')));
    const loser = gatedGrant(resultFor(token('never')));
    const first = a.grants.run(presented, CONTEXT, winner.run);
    await winner.started; // A holds the claim now
    const second = b.grants.run(presented, CONTEXT, loser.run);
    winner.release();
    const [won, lost] = await Promise.all([first, second]);
    expect(winner.calls + loser.calls).toBe(1);
    expect(won.source).toBe('granted');
    expect(lost).toEqual({ result: won.result, source: 'shared' });
  });

  it('stores the result under a hash, sealed (scv1.), for holdMs at most: no token in any key or value', async () => {
    await redisCommand(redis.port, 'FLUSHALL');
    const { grants } = replica();
    const presented = token('old');
    const rotated = resultFor(token('new'));
    await grants.run(presented, CONTEXT, async () => rotated);
    const keys = (await redisCommand(redis.port, 'KEYS', 'race-test:*')) as string[];
    expect(keys).toHaveLength(2); // the claim and the result
    const values = await Promise.all(keys.map(key => redisCommand(redis.port, 'GET', key)));
    const everything = [...keys, ...values.map(String)].join('\n');
    for (const secret of [presented, rotated.refreshToken, rotated.idToken, rotated.accessToken]) expect(everything).not.toContain(secret);
    expect(values.filter(value => String(value).startsWith('scv1.'))).toHaveLength(1);
    for (const key of keys) {
      const ttl = Number(await redisCommand(redis.port, 'PTTL', key));
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(HOLD_MS);
    }
  });

  it("a winner's failure releases the claim: a waiting replica then asks the IdP itself", async () => {
    const [a, b] = [replica(), replica()];
    const presented = token('old');
    const winner = gatedGrant(resultFor(token('new')));
    const first = a.grants.run(presented, CONTEXT, winner.run);
    await winner.started;
    let bCalls = 0;
    const second = b.grants.run(presented, CONTEXT, async () => (bCalls++, resultFor(token('b'))));
    winner.fail(new Error('token endpoint unreachable'));
    await expect(first).rejects.toThrow('token endpoint unreachable');
    expect((await second).source).toBe('granted');
    expect(bCalls).toBe(1);
  });

  it('a claim held by a replica that never answers is waited for at most holdMs, then the IdP is asked (as before)', async () => {
    const { store, grants } = replica({ holdMs: 300 });
    const presented = token('old');
    // Another replica claimed this grant and died before leaving a result.
    expect(await store.claim(`refresh-grant-claim:${refreshGrantKeys(presented, CONTEXT).id}`, Date.now() + 60_000)).toBe(true);
    let calls = 0;
    const answer = await grants.run(presented, CONTEXT, async () => (calls++, resultFor(token('new'))));
    expect(calls).toBe(1);
    expect(answer.source).toBe('granted');
  });

  it('the wait also ends by the clock: slow looks at the store do not stretch it past holdMs', async () => {
    let now = 5_000_000;
    // Every reading of the clock is 10 s later: the deadline (60 s) passes after a few looks, long before the pauses add up to it.
    const clock = () => (now += 10_000);
    const store = new RedisStore({ client: redis.url, keyPrefix: 'race-test:', clock: Date.now });
    stores.push(store);
    const grants = coordinator(store, { holdMs: 60_000, clock });
    const presented = token('old');
    expect(await store.claim(`refresh-grant-claim:${refreshGrantKeys(presented, CONTEXT).id}`, Date.now() + 60_000)).toBe(true);
    let calls = 0;
    const answer = await grants.run(presented, CONTEXT, async () => (calls++, resultFor(token('new'))));
    expect(calls).toBe(1);
    expect(answer.source).toBe('granted');
  });

  it('a stored value that does not open with the presented token is never used', async () => {
    const { store, grants } = replica();
    const presented = token('old');
    await store.set(`refresh-grant:${refreshGrantKeys(presented, CONTEXT).id}`, 'scv1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', Date.now() + 60_000);
    const answer = await grants.run(presented, CONTEXT, async () => resultFor(token('new')));
    expect(answer.source).toBe('granted');
  });

  it('a value that opens but is not a grant result is never used either', async () => {
    const { store, grants } = replica();
    const presented = token('old');
    const { id, sealKey } = refreshGrantKeys(presented, CONTEXT);
    await new EncryptedStore(store, sealKey).set(`refresh-grant:${id}`, JSON.stringify({ refreshToken: 42 }), Date.now() + 60_000);
    const answer = await grants.run(presented, CONTEXT, async () => resultFor(token('new')));
    expect(answer.source).toBe('granted');
  });

  it('with the store down, each refresh asks the IdP itself and the operator is told once, without an address', async () => {
    const warnings: string[] = [];
    const { grants } = replica({ warnings });
    await redis.kill();
    try {
      let calls = 0;
      const answer = await grants.run(token('old'), CONTEXT, async () => (calls++, resultFor(token('new'))));
      expect(answer.source).toBe('granted');
      expect(calls).toBe(1);
      expect(warnings).toEqual([
        'The token store could not coordinate concurrent refreshes (ERR_TOKEN_STORE_UNAVAILABLE); each refresh asks the IdP itself meanwhile',
      ]);
    } finally {
      await redis.restart();
    }
  });
});
