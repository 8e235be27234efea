import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pluginCall, report, startFaultRig, timedSignIn, timeUntil, type FaultRig } from './rig';

/**
 * The token store (a real redis-server with an append-only file) killed,
 * frozen (SIGSTOP) and restarted under a running backend. For each fault:
 * sign-in keeps working, backend plugins answer 503 + Retry-After (never
 * the re-auth signal, never Redis's address) within a bounded time, and
 * everything works again once Redis is back, without restarting the backend;
 * a sign-in made during the outage keeps its SpectroCloud session token.
 */
describe('Redis token store faults under a running legacy backend', () => {
  let rig: FaultRig;
  let before: string;
  beforeAll(async () => {
    rig = await startFaultRig({ redis: true });
    const signedIn = await timedSignIn(rig, 'bob@example.com');
    expect(signedIn.ok).toBe(true);
    before = signedIn.backstageToken!;
    expect((await pluginCall(rig, before)).status).toBe(200);
  });
  afterAll(() => rig?.close());

  /** The store's own deadline (RedisStore default 2 s) plus room for a loaded 2-core machine. */
  const STORE_BOUND_MS = 2_000 + 3_000;

  function expectStoreUnavailable(answer: Awaited<ReturnType<typeof pluginCall>>) {
    expect(answer.status).toBe(503);
    expect(answer.code).toBe('ERR_TOKEN_STORE_UNAVAILABLE');
    expect(answer.retryAfter).toBe('5');
    expect(answer.reAuth).toBeUndefined();
    expect(answer.text).not.toMatch(new RegExp(`127\\.0\\.0\\.1|${rig.redis!.port}`));
    expect(answer.ms).toBeLessThan(STORE_BOUND_MS);
  }

  async function recovery(tokens: string[]) {
    return timeUntil(async () => {
      for (const token of tokens) if ((await pluginCall(rig, token)).status !== 200) return false;
      return true;
    }, 15_000);
  }

  for (const fault of ['killed', 'frozen'] as const) {
    it(`${fault}: sign-in works, plugins answer 503 + Retry-After, and all recovers without a backend restart`, async () => {
      const redis = rig.redis!;
      if (fault === 'killed') await redis.kill();
      else redis.freeze();
      let duringSignIn: Awaited<ReturnType<typeof timedSignIn>>;
      let duringPlugin: Awaited<ReturnType<typeof pluginCall>>;
      try {
        duringSignIn = await timedSignIn(rig, 'alice@example.com');
        duringPlugin = await pluginCall(rig, before);
      } finally {
        if (fault === 'killed') await redis.restart();
        else redis.thaw();
      }
      const recoveredAfterMs = await recovery([before, duringSignIn.backstageToken!]);
      report(`redis ${fault}`, {
        signInMs: duringSignIn.ms,
        signInOk: String(duringSignIn.ok),
        pluginStatus: duringPlugin.status,
        pluginMs: duringPlugin.ms,
        recoveryMs: recoveredAfterMs ?? 'none within 15 s',
        queued: rig.metrics.snapshot().tokenStore.writesQueued,
        recovered: rig.metrics.snapshot().tokenStore.writesRecovered,
      });
      expect(duringSignIn.ok).toBe(true);
      expect(duringSignIn.ms).toBeLessThan(STORE_BOUND_MS + 2_000);
      expectStoreUnavailable(duringPlugin);
      // Recovery: the user signed in before and the one signed in during the outage both get their token.
      expect(recoveredAfterMs, 'plugins did not recover within 15 s').toBeDefined();
      expect(recoveredAfterMs!).toBeLessThan(10_000);
      expect(rig.metrics.snapshot().tokenStore.writesLost).toBe(0);
      expect(rig.backend.logLines.join('\n')).not.toMatch(new RegExp(`127\\.0\\.0\\.1:${redis.port}`));
    }, 60_000);
  }
});
