import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSpectroCloudEmulator, type SpectroCloudEmulator } from '../../src/testing';
import { startLegacyBackendProcess, type LegacyBackendProcess } from '../support/legacyBackendProcess';
import { startRedisSentinel, type RedisSentinelTopology } from '../support/redisSentinel';
import { getFreePort, startRedisServer, type RedisTestServer } from '../support/redisServer';
import { redisInfo, waitUntil } from '../support/redisCommand';
import { registerSecret } from '../support/secrets';
import { authorize, callback, CLIENT_ID, CLIENT_SECRET, CookieJar, startSignIn } from '../support/spectroFixture';
import { report } from './rig';

/**
 * Sign-ins during a token-store outage, run the way production runs: the
 * package as a CommonJS legacy backend loads it (the built `dist/*.cjs`
 * entries, one session-token cache from `.../palette-tokens` handed to
 * `spectrocloud.create` and to a plugin's hand-off middleware), in a backend
 * process of its own, Redis encrypted at rest, a real redis-server killed with
 * SIGKILL for 15 s and restarted on the same port with its append-only file
 * (standalone), or a master killed and replaced by Sentinel (failover).
 * Sign-ins run throughout; each user signed in during the outage must get
 * their SpectroCloud token from the hand-off within 5 s of recovery (Redis
 * back; behind Sentinel: a new master with a replica online, since each write
 * waits for one replica's acknowledgement).
 *
 * Real time: the outage is a real process outage. Wall time about 60 s.
 */
const OUTAGE_MS = 15_000;
const RECOVERY_BOUND_MS = 5_000;
/** Sign-ins in flight at a time, as several browsers. */
const PARALLEL_SIGN_INS = 2;
const KEPT_AT_LEAST = 0.99;
const USERS = Array.from({ length: 1000 }, (_, i) => ({ name: `user${i}`, email: `user${i}@example.com` }));

describe('sign-ins during a Redis outage keep their SpectroCloud token (dist CJS, encrypted Redis, backend in its own process)', () => {
  let emulator: SpectroCloudEmulator;
  let redis: RedisTestServer;
  let sentinel: RedisSentinelTopology;
  let standaloneBackend: LegacyBackendProcess;
  let sentinelBackend: LegacyBackendProcess;
  let nextUser = 0;

  beforeAll(async () => {
    if (!existsSync(new URL('../../dist/paletteTokens/index.cjs', import.meta.url))) {
      throw new Error('this test loads the built package: run `npx -y pnpm@9 exec tsup` first (pnpm test does)');
    }
    // Redis and Sentinel first: their ports are bound before the backends' are picked.
    [redis, sentinel] = await Promise.all([startRedisServer({ appendonly: true }), startRedisSentinel({ replicas: 2, sentinels: 3, appendonly: true })]);
    const ports = [await getFreePort(), await getFreePort()];
    emulator = await startSpectroCloudEmulator({
      clients: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: ports.map(port => `http://127.0.0.1:${port}/api/auth/spectrocloud/handler/frame`) }],
      users: USERS.map(({ name, email }) => ({ email, given_name: name, family_name: 'Example', groups: ['developers'] })),
      autoApprove: true,
    });
    const encryptionKey = randomBytes(32).toString('base64');
    registerSecret(encryptionKey);
    const backendAt = (port: number, redisConnection: object) =>
      startLegacyBackendProcess({
        port,
        build: 'dist',
        tokenPlugin: true,
        users: USERS.map(({ name, email }) => [name, email]),
        providers: {
          spectrocloud: {
            tokenStore: { type: 'redis', encryptionKey, redis: redisConnection },
            development: {
              clientId: CLIENT_ID,
              clientSecret: CLIENT_SECRET,
              authorizationUrl: emulator.authorizationUrl,
              signIn: { resolvers: [{ resolver: 'emailMatchingUserEntityProfileEmail' }] },
            },
          },
        },
      });
    [standaloneBackend, sentinelBackend] = await Promise.all([
      backendAt(ports[0]!, { url: redis.url }),
      backendAt(ports[1]!, { sentinels: sentinel.sentinels, name: sentinel.name }),
    ]);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([standaloneBackend?.close(), sentinelBackend?.close()]);
    await Promise.all([redis?.stop(), sentinel?.close(), emulator?.close()]);
  });

  /** One browser's sign-in; the user's Backstage token, or undefined when the sign-in failed. */
  async function signInOnce(backend: LegacyBackendProcess): Promise<string | undefined> {
    const fixture = { backend };
    const jar = new CookieJar();
    const start = await startSignIn(fixture, jar);
    if (start.status !== 302) return undefined;
    const frame = await callback(fixture, jar, await authorize(start.headers.location, USERS[nextUser++ % USERS.length]!.email));
    return frame.message.response?.backstageIdentity?.token;
  }

  /** Sign-ins back to back from PARALLEL_SIGN_INS browsers until `stop` resolves; each one a different user. */
  async function signInsUntil(backend: LegacyBackendProcess, stop: Promise<unknown>) {
    let stopped = false;
    void stop.then(() => (stopped = true));
    const tokens: string[] = [];
    let failed = 0;
    await Promise.all(
      Array.from({ length: PARALLEL_SIGN_INS }, async () => {
        while (!stopped) {
          const token = await signInOnce(backend);
          if (token) tokens.push(token);
          else failed++;
        }
      }),
    );
    return { tokens, failed };
  }

  async function handoff(backend: LegacyBackendProcess, token: string) {
    return (await request(backend.url).get('/api/spectrocloud/whoami').set('Authorization', `Bearer ${token}`)).status;
  }

  /** How many of `tokens` the hand-off answers 200 within `boundMs` (each polled until it does), and when the last did. */
  async function keptWithin(backend: LegacyBackendProcess, tokens: string[], boundMs: number) {
    const began = performance.now();
    const deadline = began + boundMs;
    const waiting = new Set(tokens);
    while (waiting.size > 0 && performance.now() < deadline) {
      for (const token of [...waiting]) if ((await handoff(backend, token)) === 200) waiting.delete(token);
      if (waiting.size > 0) await new Promise(resolve => setTimeout(resolve, 100));
    }
    return { kept: tokens.length - waiting.size, ms: performance.now() - began };
  }

  /** The backend's token-store log lines (no token or address in them: the log guard checks), to tell what happened to a write. */
  const storeLines = (backend: LegacyBackendProcess) =>
    backend.output().split('\n').filter(line => /not stored yet|stored now|lost \(|Could not keep|Redis connection/.test(line)).slice(-20).join('\n');

  const pause = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

  it('standalone Redis killed for 15 s and restarted with its append-only file: at least 99 % of the sign-ins made meanwhile have their token within 5 s', async () => {
    const before = await signInOnce(standaloneBackend);
    expect(before).toBeDefined();
    expect(await handoff(standaloneBackend, before!)).toBe(200);

    await redis.kill();
    const during = await signInsUntil(standaloneBackend, pause(OUTAGE_MS));
    // While Redis is down, the hand-off says "try again", never "sign in again".
    expect(await handoff(standaloneBackend, during.tokens[0]!)).toBe(503);
    await redis.restart();
    const { kept, ms } = await keptWithin(standaloneBackend, [before!, ...during.tokens], RECOVERY_BOUND_MS);

    report('sign-ins during a 15 s Redis outage (standalone)', { signIns: during.tokens.length, failedSignIns: during.failed, kept: kept - 1, allKeptAfterMs: ms });
    expect(during.failed).toBe(0);
    expect(during.tokens.length).toBeGreaterThanOrEqual(10);
    expect(kept).toBeGreaterThanOrEqual(Math.ceil((during.tokens.length + 1) * KEPT_AT_LEAST));
    expect(standaloneBackend.output()).not.toMatch(/Could not keep the Palette token/);
  }, 60_000);

  it('Redis behind Sentinel, master killed: at least 99 % of the sign-ins made during the 15 s after it have their token within 5 s', async () => {
    const before = await signInOnce(sentinelBackend);
    expect(before).toBeDefined();

    const failover = sentinel.failover({ how: 'kill' });
    const window = Promise.all([failover, pause(OUTAGE_MS)]);
    const during = await signInsUntil(sentinelBackend, window);
    const [master] = await window;
    // Recovered once writes can count again: the new master has a replica to acknowledge them
    // (waitForReplicas defaults to 1 behind Sentinel; until then writes wait in the retry queue).
    await waitUntil('the new master to have a replica online', 30_000, async () => {
      const info = await redisInfo(master.port, 'replication');
      return Object.entries(info).some(([key, value]) => /^slave\d+$/.test(key) && value.includes('state=online')) ? true : undefined;
    });
    const { kept, ms } = await keptWithin(sentinelBackend, [before!, ...during.tokens], RECOVERY_BOUND_MS);

    report('sign-ins during a Sentinel failover (15 s window)', { signIns: during.tokens.length, failedSignIns: during.failed, kept: kept - 1, allKeptAfterMs: ms });
    if (kept < during.tokens.length + 1) console.info(storeLines(sentinelBackend));
    expect(during.failed).toBe(0);
    expect(during.tokens.length).toBeGreaterThanOrEqual(10);
    expect(kept).toBeGreaterThanOrEqual(Math.ceil((during.tokens.length + 1) * KEPT_AT_LEAST));
    expect(sentinelBackend.output()).not.toMatch(/Could not keep the Palette token/);
  }, 120_000);
});
