import type { Request } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPaletteTokenCapture } from '../../src/paletteTokens/capture/capture';
import { RedisStore } from '../../src/paletteTokens/stores/redisStore';
import { PaletteTokenCache } from '../../src/paletteTokens/stores/paletteTokenCache';
import { PendingStoreWrites } from '../../src/ttlStore/pendingWrites';
import { startRedisServer, type RedisTestServer } from '../support/redisServer';
import { registerSecret } from '../support/secrets';

/*
 * The capture at sign-in and sign-out (paletteTokens/capture/capture.ts) over a real Redis that goes away:
 * a sign-in's token write that met the outage waits for the store, and a sign-out of that user which reaches
 * the recovered store first must win. The retry loop only runs when the test opens its gate, so the two are
 * ordered by the test, not by timers.
 */
const HOUR = 3_600_000;
const ALICE = { userEntityRef: 'user:default/alice', email: 'alice@example.com' };
const request = {} as Request; // no response: the cookie half of the capture is not what these tests look at

/** The retry loop's pause, held until the test opens it; open, it lets every round through at once. */
function retryGate() {
  let open = false;
  let release: () => void = () => undefined;
  return {
    wait: () => (open ? Promise.resolve() : new Promise<void>(resolve => (release = resolve))),
    open() {
      open = true;
      release();
    },
  };
}

function silentLogger() {
  const lines: string[] = [];
  return { lines, info: (m: string) => lines.push(m), warn: (m: string) => lines.push(m), error: (m: string) => lines.push(m) };
}

describe('a sign-in queued during a Redis outage and the same user signing out (capture)', () => {
  let redis: RedisTestServer;
  let store: RedisStore;
  let cache: PaletteTokenCache;
  beforeAll(async () => {
    redis = await startRedisServer();
    store = new RedisStore({ client: redis.url });
    cache = new PaletteTokenCache({ store });
  });
  afterAll(async () => {
    await cache?.close();
    await redis?.stop();
  });

  function capture() {
    const gate = retryGate();
    const pendingWrites = new PendingStoreWrites({ what: 'Palette token', wait: gate.wait });
    return { gate, pendingWrites, hooks: createPaletteTokenCapture({ cache, secure: false, logger: silentLogger(), pendingWrites }) };
  }

  /** Signs alice in while Redis is down (her write is queued), then brings Redis back, empty. */
  async function signInDuringOutage(hooks: ReturnType<typeof capture>['hooks'], pendingWrites: PendingStoreWrites, sessionToken: string) {
    registerSecret(sessionToken);
    await redis.kill();
    try {
      await hooks.remember({ req: request, ...ALICE, paletteToken: sessionToken, expiresAt: Date.now() + HOUR });
      expect(pendingWrites.has(`ref:${ALICE.userEntityRef}`)).toBe(true);
    } finally {
      await redis.restart();
    }
    await reconnected(store);
  }

  it('stores the queued token once Redis is back (control)', async () => {
    const { gate, pendingWrites, hooks } = capture();
    await signInDuringOutage(hooks, pendingWrites, 'palette-token-of-alice-control');
    gate.open();
    await pendingWrites.settled();
    expect((await cache.forUser(ALICE.userEntityRef))?.sessionToken).toBe('palette-token-of-alice-control');
  });

  it('does not bring the token back after a sign-out that reached the recovered store first', async () => {
    const { gate, pendingWrites, hooks } = capture();
    await signInDuringOutage(hooks, pendingWrites, 'palette-token-of-alice-signed-out');
    // The sign-out reaches Redis (up again) before the retry loop's next round.
    await hooks.forget({ req: request, ...ALICE });
    expect(await cache.forUser(ALICE.userEntityRef)).toBeUndefined();
    gate.open();
    await pendingWrites.settled();
    expect(pendingWrites.size).toBe(0);
    expect(await cache.forUser(ALICE.userEntityRef)).toBeUndefined();
  });
});

/** The client reconnects in the background after a restart: a bounded number of pings, each answered or refused. */
async function reconnected(store: RedisStore): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await store.get('reconnect-probe');
      return;
    } catch (error) {
      if (attempt >= 100) throw error;
      await new Promise(resolve => setTimeout(resolve, 100));
    }
  }
}
