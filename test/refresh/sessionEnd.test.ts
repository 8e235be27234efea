import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSpectroCloudEmulator, type SpectroCloudEmulator } from '../../src/testing';
import { startLegacyBackendProcess, type LegacyBackendProcess } from '../support/legacyBackendProcess';
import { getFreePort, startRedisServer, type RedisTestServer } from '../support/redisServer';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  CookieJar,
  logout,
  refresh,
  signIn,
  startFixture,
  BACKEND_KINDS,
  USERS,
  type Fixture,
} from '../support/spectroFixture';

const MINUTE = 60_000;

// One suite, two backends: the legacy router and the new backend system's module share the core.
describe.each(BACKEND_KINDS)('%s backend', kind => {
  describe('sessionDuration (Backstage key and formats)', () => {
    it.each([['8h'], ['PT8H'], [{ hours: 8 }], ['2 days']])('accepts %j', async sessionDuration => {
      const fixture = await startFixture({ kind, environment: { sessionDuration } });
      try {
        const { frame } = await signIn(fixture);
        expect(frame.message.error).toBeUndefined();
      } finally {
        await fixture.close();
      }
    });

    it.each([['eight hours'], [{ hourz: 8 }], [8], ['0s'], ['-1h']])('refuses %j at startup, naming the path', async sessionDuration => {
      await expect(startFixture({ kind, environment: { sessionDuration } })).rejects.toThrow(
        /Invalid 'auth\.providers\.spectrocloud\.development\.sessionDuration'/,
      );
    });

    describe('enforced by the server at /refresh (injected clock)', () => {
      let offset = 0;
      let fixture: Fixture;
      beforeAll(async () => {
        fixture = await startFixture({
          kind,
          environment: { sessionDuration: '1h' },
          // The ID token outlives the session duration, so only sessionDuration can end the session.
          emulator: { idTokenTtlSeconds: 3 * 60 * 60 },
          provider: { clock: () => Date.now() + offset },
        });
      });
      afterAll(() => fixture?.close());

      it('refreshes within the duration and refuses after it with ERR_SESSION_DURATION_EXCEEDED', async () => {
        offset = 0;
        const { jar } = await signIn(fixture);
        offset = 59 * MINUTE;
        const within = await refresh(fixture, jar);
        expect(within.status).toBe(200);
        expect(within.body.backstageIdentity.identity.userEntityRef).toBe('user:default/alice');
        // The app is told to come back no later than the session's end.
        expect(within.body.providerInfo.expiresInSeconds).toBeLessThanOrEqual(60);
        expect(within.body.providerInfo.expiresInSeconds).toBeGreaterThan(50);
        // ...and when the session ends for good (sessionDuration, before the ID token's 3 h).
        expect(within.body.providerInfo.sessionEndsInSeconds).toBeLessThanOrEqual(60);
        expect(within.body.providerInfo.sessionEndsInSeconds).toBeGreaterThan(50);

        offset = 61 * MINUTE;
        const after = await refresh(fixture, jar);
        expect(after.status).toBe(401);
        expect(after.body.error.message).toContain(
          'SpectroCloudRefreshSessionError: This sign-in is older than the configured sessionDuration; sign in again',
        );
        expect(JSON.stringify(after.body)).not.toContain('backstageIdentity');
      });

      it('counts from the sign-in, not from the last refresh', async () => {
        offset = 0;
        const { jar } = await signIn(fixture);
        for (const minutes of [20, 40, 58]) {
          offset = minutes * MINUTE;
          expect((await refresh(fixture, jar)).status).toBe(200);
        }
        offset = 60 * MINUTE;
        expect((await refresh(fixture, jar)).body.error?.message).toMatch(/older than the configured sessionDuration/);
      });
    });
  });

  describe('the true end of the session in /refresh (providerInfo.sessionEndsInSeconds)', () => {
    let offset = 0;
    let fixture: Fixture;
    beforeAll(async () => {
      fixture = await startFixture({
        kind,
        environment: { sessionDuration: '8h' },
        // SpectroCloud has no refresh grant: the ID token's expiry ends the session before sessionDuration.
        emulator: { idTokenTtlSeconds: 20 * 60 },
        provider: { clock: () => Date.now() + offset },
      });
    });
    afterAll(() => fixture?.close());

    it('is the ID token expiry when it comes before sessionDuration, counting down with each refresh', async () => {
      offset = 0;
      const { jar } = await signIn(fixture);
      const first = await refresh(fixture, jar);
      expect(first.body.providerInfo.sessionEndsInSeconds).toBeGreaterThan(20 * 60 - 10);
      expect(first.body.providerInfo.sessionEndsInSeconds).toBeLessThanOrEqual(20 * 60);
      offset = 15 * MINUTE;
      const later = await refresh(fixture, jar);
      expect(later.body.providerInfo.sessionEndsInSeconds).toBeGreaterThan(5 * 60 - 10);
      expect(later.body.providerInfo.sessionEndsInSeconds).toBeLessThanOrEqual(5 * 60);
    });
  });

  describe('sign-out ends the session (memory token store, one backend)', () => {
    let fixture: Fixture;
    beforeAll(async () => {
      fixture = await startFixture({ kind });
    });
    afterAll(() => fixture?.close());

    it('refuses a refresh cookie copied before sign-out with ERR_SESSION_REVOKED', async () => {
      const { jar } = await signIn(fixture);
      const copy = jar.copy();
      expect((await refresh(fixture, copy)).status).toBe(200);
      expect((await logout(fixture, jar)).status).toBe(200);
      const replay = await refresh(fixture, copy);
      expect(replay.status).toBe(401);
      expect(replay.body.error.message).toContain('SpectroCloudRefreshSessionError: This session was signed out; sign in again');
    });

    it('leaves other sessions of the same user alone', async () => {
      const first = await signIn(fixture);
      const second = await signIn(fixture);
      await logout(fixture, first.jar.copy());
      expect((await refresh(fixture, second.jar)).status).toBe(200);
    });
  });
});

/** Two legacy backends (replicas, each its own process) with one emulator and one Redis, as an operator runs them. */
describe('sign-out ends the session on every replica (two backend processes, one Redis)', () => {
  let redis: RedisTestServer;
  let emulator: SpectroCloudEmulator;
  let replicas: LegacyBackendProcess[];
  const at = (backend: LegacyBackendProcess) => ({ backend });

  beforeAll(async () => {
    redis = await startRedisServer();
    const ports = [await getFreePort(), await getFreePort()];
    emulator = await startSpectroCloudEmulator({
      clients: [
        {
          clientId: CLIENT_ID,
          clientSecret: CLIENT_SECRET,
          redirectUris: ports.map(port => `http://127.0.0.1:${port}/api/auth/spectrocloud/handler/frame`),
        },
      ],
      users: USERS,
      autoApprove: true,
    });
    replicas = await Promise.all(
      ports.map(port =>
        startLegacyBackendProcess({
          port,
          providers: {
            spectrocloud: {
              tokenStore: { type: 'redis', redis: { url: redis.url } },
              development: {
                clientId: CLIENT_ID,
                clientSecret: CLIENT_SECRET,
                authorizationUrl: emulator.authorizationUrl,
                signIn: { resolvers: [{ resolver: 'emailMatchingUserEntityProfileEmail' }] },
              },
            },
          },
        }),
      ),
    );
    // Two Node processes loading Backstage through tsx: slow on a loaded 2-core machine.
  }, 120_000);
  afterAll(async () => {
    await Promise.all((replicas ?? []).map(r => r.close()));
    await emulator?.close();
    await redis?.stop();
  });

  async function signInAt(backend: LegacyBackendProcess): Promise<CookieJar> {
    const { jar, frame } = await signIn({ ...at(backend), emulator } as unknown as Fixture, 'alice@example.com');
    expect(frame.message.error).toBeUndefined();
    return jar;
  }

  it('a cookie copied before sign-out at replica A is refused at A and at B', async () => {
    const [a, b] = replicas;
    const jar = await signInAt(a);
    const copy = jar.copy();
    expect((await refresh(at(b), copy)).status).toBe(200); // one session, valid on both replicas

    expect((await logout(at(a), jar)).status).toBe(200);
    for (const replica of [a, b]) {
      const replay = await refresh(at(replica), copy);
      expect(replay.status).toBe(401);
      expect(replay.body.error.message).toContain('This session was signed out; sign in again');
    }
  });

  it('a sign-out during a Redis outage is honoured at once by its replica and reaches the others once Redis is back', async () => {
    const [a, b] = replicas;
    const jar = await signInAt(a);
    const copy = jar.copy();
    await redis.kill();
    try {
      expect((await logout(at(a), jar)).status).toBe(200);
      // A keeps the pending revocation and refuses the copy; B cannot check and refuses too (fail closed).
      expect((await refresh(at(a), copy)).body.error?.message).toContain('This session was signed out; sign in again');
      // The legacy OAuthAdapter turns every refresh failure into a 401; the cause is named in the message.
      const unchecked = await refresh(at(b), copy);
      expect(unchecked.status).toBe(401);
      expect(unchecked.body.error.message).toContain('SpectroCloudTokenStoreError: Cannot read a Palette token: the Redis token store is unavailable');
      expect(JSON.stringify(unchecked.body)).not.toMatch(new RegExp(`127\\.0\\.0\\.1|${redis.port}`));
      expect(a.output()).toContain('SpectroCloud sign-out not stored yet (ERR_TOKEN_STORE_UNAVAILABLE)');
    } finally {
      await redis.restart(); // empty: the revocation must come from A's background retry
    }
    const deadline = Date.now() + 15_000;
    let refused = false;
    while (!refused && Date.now() < deadline) {
      const replay = await refresh(at(b), copy);
      refused = String(replay.body.error?.message).includes('This session was signed out; sign in again');
      if (!refused) await new Promise(resolve => setTimeout(resolve, 100));
    }
    expect(refused).toBe(true);
  });
});
