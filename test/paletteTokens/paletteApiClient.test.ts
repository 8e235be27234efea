import express from 'express';
import request from 'supertest';
import { ConfigReader } from '@backstage/config';
import type { JsonObject } from '@backstage/types';
import { DefaultIdentityClient } from '@backstage/plugin-auth-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spectrocloud } from '../../src';
import { SpectroCloudAuthMetrics } from '../../src/metrics';
import {
  createPaletteApiClient,
  createPaletteTokenCache,
  createSpectroCloudErrorHandler,
  type PaletteTokenCache,
} from '../../src/paletteTokens';
import { startSpectroCloudEmulator, type SpectroCloudEmulator } from '../../src/testing';
import { startLegacyBackend, type LegacyBackend } from '../support/legacyBackend';
import { startFaultProxy } from '../support/faultProxy';
import { getFreePort, startRedisServer, type RedisTestServer } from '../support/redisServer';
import { registerSecret } from '../support/secrets';
import { createTempDir, removeTempDir } from '../support/tempDir';
import { authorize, callback, CATALOG, CLIENT_ID, CLIENT_SECRET, CookieJar, startSignIn, USERS } from '../support/spectroFixture';

/**
 * SpectroCloud's 15-minute session token kept alive server-side: the
 * emulator's tokens live 15 minutes, a moved clock (ours and the emulator's;
 * no real waiting) takes users past it, and a backend plugin calls Palette's
 * API (`/v1/users/info`) through the package's client, as the user.
 */
const SESSION_TOKEN_SECONDS = 900;
const MINUTE = 60_000;

interface Replica {
  backend: LegacyBackend;
  cache: PaletteTokenCache;
  metrics: SpectroCloudAuthMetrics;
}

describe("Palette's session token renewed server-side, and the Palette API client", () => {
  let now = Date.UTC(2026, 11, 2, 9, 0, 0);
  const clock = () => now;
  let emulator: SpectroCloudEmulator;
  let redis: RedisTestServer;
  let dir: string;
  const ports: number[] = [];
  const started: Replica[] = [];

  beforeAll(async () => {
    for (let i = 0; i < 4; i++) ports.push(await getFreePort());
    emulator = await startSpectroCloudEmulator({
      clients: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: ports.map(p => `http://127.0.0.1:${p}/api/auth/spectrocloud/handler/frame`) }],
      users: USERS,
      autoApprove: true,
      paletteTokenTtlSeconds: SESSION_TOKEN_SECONDS,
      idTokenTtlSeconds: 3 * 3600,
      clock,
    });
    redis = await startRedisServer();
    dir = await createTempDir('palette-api-replicas');
  });
  afterEach(async () => {
    emulator.resetFaults();
    for (const replica of started.splice(0)) {
      await replica.backend.close();
      await replica.cache.close();
    }
  });
  afterAll(async () => {
    await emulator?.close();
    await redis?.stop();
    if (dir) await removeTempDir(dir);
  });

  /** A legacy backend wired as the docs say: one cache for the provider, the middleware and the Palette API client. */
  async function startReplica(port: number, tokenStore: JsonObject, database?: JsonObject, palette: { url?: string; timeout?: number } = {}): Promise<Replica> {
    const providers = {
      spectrocloud: {
        tokenStore,
        development: {
          clientId: CLIENT_ID,
          clientSecret: CLIENT_SECRET,
          authorizationUrl: emulator.authorizationUrl,
          signIn: { resolvers: [{ resolver: 'emailMatchingUserEntityProfileEmail' }] },
          ...(palette.timeout !== undefined && { timeout: palette.timeout }),
        },
      },
    };
    const metrics = new SpectroCloudAuthMetrics();
    const cache = createPaletteTokenCache(new ConfigReader({ auth: { providers } }), { metrics, clock, paletteApiUrl: palette.url });
    const backend = await startLegacyBackend({
      port,
      providers,
      database,
      users: CATALOG,
      providerFactories: { spectrocloud: spectrocloud.create({ paletteTokenCache: cache, metrics, clock }) },
      routers: ({ discovery }) => {
        const identity = DefaultIdentityClient.create({ discovery });
        const palette = createPaletteApiClient({ identity, cache, metrics });
        const router = express.Router();
        router.get('/me', async (req, res, next) => {
          try {
            const answer = await palette.request(req, '/v1/users/info', { projectUid: 'project-1' });
            res.status(answer.status).json(answer.json());
          } catch (error) {
            next(error);
          }
        });
        router.use(createSpectroCloudErrorHandler());
        return { '/api/spectrocloud': router };
      },
    });
    const replica = { backend, cache, metrics };
    started.push(replica);
    return replica;
  }

  async function signIn(replica: Replica, email = 'alice@example.com'): Promise<string> {
    const jar = new CookieJar();
    const fixture = { backend: replica.backend };
    const start = await startSignIn(fixture, jar);
    const frame = await callback(fixture, jar, await authorize(start.headers.location, email));
    const token = frame.message.response?.backstageIdentity?.token as string;
    expect(token).toBeDefined();
    return token;
  }

  const me = (replica: Replica, backstageToken: string) =>
    request(replica.backend.url).get('/api/spectrocloud/me').set('Authorization', `Bearer ${backstageToken}`);

  async function storedToken(replica: Replica): Promise<string> {
    const session = await replica.cache.forUser('user:default/alice');
    registerSecret(session?.sessionToken);
    return session!.sessionToken;
  }

  it('a user signed in for an hour (four token lifetimes) calls Palette through the client without signing in again', async () => {
    const replica = await startReplica(ports[0]!, { type: 'memory' });
    const backstageToken = await signIn(replica);
    const renewalsBefore = emulator.stats.paletteTokenRenewals;
    for (let minute = 10; minute <= 60; minute += 10) {
      now += 10 * MINUTE;
      const answer = await me(replica, backstageToken);
      expect(answer.status, `at minute ${minute}`).toBe(200);
      expect(answer.body.email).toBe('alice@example.com');
      expect(answer.headers['x-spectrocloud-reauth-required']).toBeUndefined();
    }
    expect(emulator.stats.lastProjectUid).toBe('project-1');
    // Renewed whenever the hand-off found it within 5 minutes of its end: at every 10-minute step.
    expect(emulator.stats.paletteTokenRenewals - renewalsBefore).toBe(6);
    expect(replica.metrics.snapshot().handoff.renewed).toBe(6);
  });

  it('two users whose tokens are renewed at the same moment each get their own renewed token', async () => {
    const replica = await startReplica(ports[0]!, { type: 'memory' });
    const backstageTokens = { alice: await signIn(replica, 'alice@example.com'), bob: await signIn(replica, 'bob@example.com') };
    const renewalsBefore = emulator.stats.paletteTokenRenewals;
    now += 12 * MINUTE;
    // Both reads start before either renewal answers: one renewal in flight per user, never one for both.
    const [alice, bob] = await Promise.all([replica.cache.forUser('user:default/alice'), replica.cache.forUser('user:default/bobby')]);
    registerSecret(alice?.sessionToken);
    registerSecret(bob?.sessionToken);
    expect(alice).toMatchObject({ userEntityRef: 'user:default/alice', email: 'alice@example.com' });
    expect(bob).toMatchObject({ userEntityRef: 'user:default/bobby', email: 'bob@example.com' });
    expect(bob!.sessionToken).not.toBe(alice!.sessionToken);
    expect(emulator.stats.paletteTokenRenewals - renewalsBefore).toBe(2);
    // Palette knows each renewed token as its own user's.
    expect((await me(replica, backstageTokens.alice)).body.email).toBe('alice@example.com');
    expect((await me(replica, backstageTokens.bob)).body.email).toBe('bob@example.com');
  });

  it('does not renew a token with time left', async () => {
    const replica = await startReplica(ports[0]!, { type: 'memory' });
    const backstageToken = await signIn(replica);
    const before = await storedToken(replica);
    now += 5 * MINUTE;
    expect((await me(replica, backstageToken)).status).toBe(200);
    expect(await storedToken(replica)).toBe(before);
    expect(replica.metrics.snapshot().handoff.renewed).toBe(0);
  });

  it('a user away for an hour (token expired meanwhile) is asked to sign in again: 401 + X-SpectroCloud-ReAuth-Required', async () => {
    const replica = await startReplica(ports[0]!, { type: 'memory' });
    const backstageToken = await signIn(replica);
    now += 60 * MINUTE;
    const answer = await me(replica, backstageToken);
    expect(answer.status).toBe(401);
    expect(answer.headers['x-spectrocloud-reauth-required']).toBe('true');
    expect(answer.body.error.code).toBe('ERR_SPECTROCLOUD_REAUTH_REQUIRED');
    expect(replica.metrics.snapshot().handoff.renewed).toBe(0);
  });

  it('Palette refusing the token (signed out there): one renewal attempt, refused, then the re-auth signal', async () => {
    const replica = await startReplica(ports[0]!, { type: 'memory' });
    const backstageToken = await signIn(replica);
    emulator.signOutPaletteToken(await storedToken(replica));
    const refusedBefore = emulator.stats.paletteTokenRenewalsRefused;
    const answer = await me(replica, backstageToken);
    expect(answer.status).toBe(401);
    expect(answer.headers['x-spectrocloud-reauth-required']).toBe('true');
    expect(emulator.stats.paletteTokenRenewalsRefused - refusedBefore).toBe(1);
    expect(replica.metrics.snapshot().handoff.renewalRefused).toBe(1);
    // The dead token is dropped: the next call asks for a sign-in without asking Palette again.
    expect((await me(replica, backstageToken)).status).toBe(401);
    expect(emulator.stats.paletteTokenRenewalsRefused - refusedBefore).toBe(1);
  });

  it('Palette answering 401 to a token it still renews: the client renews once and the retried call succeeds', async () => {
    const replica = await startReplica(ports[0]!, { type: 'memory' });
    const backstageToken = await signIn(replica);
    const before = await storedToken(replica);
    const renewalsBefore = emulator.stats.paletteTokenRenewals;
    const callsBefore = emulator.stats.paletteApiRequests;
    emulator.setFaults({ paletteApiRefusals: 1 });
    const answer = await me(replica, backstageToken);
    expect(answer.status).toBe(200);
    expect(answer.body.email).toBe('alice@example.com');
    expect(answer.headers['x-spectrocloud-reauth-required']).toBeUndefined();
    expect(emulator.stats.paletteTokenRenewals - renewalsBefore).toBe(1);
    expect(emulator.stats.paletteApiRequests - callsBefore).toBe(2);
    // The renewed token is the one stored for the next call.
    expect(await storedToken(replica)).not.toBe(before);
    expect(replica.metrics.snapshot().handoff.renewed).toBe(1);
  });

  it('Palette answering 401 again after the renewal: one renewal only, then the re-auth signal', async () => {
    const replica = await startReplica(ports[0]!, { type: 'memory' });
    const backstageToken = await signIn(replica);
    const renewalsBefore = emulator.stats.paletteTokenRenewals;
    emulator.setFaults({ paletteApiRefusals: 2 });
    const answer = await me(replica, backstageToken);
    expect(answer.status).toBe(401);
    expect(answer.headers['x-spectrocloud-reauth-required']).toBe('true');
    expect(emulator.stats.paletteTokenRenewals - renewalsBefore).toBe(1);
  });

  it('Palette refusing a renewal near expiry falls back to the re-auth signal', async () => {
    const replica = await startReplica(ports[0]!, { type: 'memory' });
    const backstageToken = await signIn(replica);
    emulator.signOutPaletteToken(await storedToken(replica));
    now += 11 * MINUTE;
    const answer = await me(replica, backstageToken);
    expect(answer.status).toBe(401);
    expect(answer.headers['x-spectrocloud-reauth-required']).toBe('true');
    expect(replica.metrics.snapshot().handoff.renewalRefused).toBe(1);
  });

  it('tokenStore.renewPaletteTokens: false keeps today\'s behaviour: no renewal, re-auth once the token has expired', async () => {
    const replica = await startReplica(ports[0]!, { type: 'memory', renewPaletteTokens: false });
    const backstageToken = await signIn(replica);
    now += 11 * MINUTE;
    expect((await me(replica, backstageToken)).status).toBe(200);
    now += 5 * MINUTE;
    const answer = await me(replica, backstageToken);
    expect(answer.status).toBe(401);
    expect(answer.headers['x-spectrocloud-reauth-required']).toBe('true');
    expect(replica.metrics.snapshot().handoff.renewed).toBe(0);
  });

  it('two replicas on one Redis renew a user once, however many calls arrive at both at the same time', async () => {
    const store = { type: 'redis', redis: { url: redis.url } };
    // Replicas share the auth database (its signing keys) as they would share Postgres; one after the other (migrations).
    const database = { client: 'better-sqlite3', connection: { directory: dir } };
    const [a, b] = [await startReplica(ports[1]!, store, database), await startReplica(ports[2]!, store, database)];
    const backstageToken = await signIn(a);
    now += 11 * MINUTE;
    const renewalsBefore = emulator.stats.paletteTokenRenewals;
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => me(i % 2 ? a : b, backstageToken)));
    expect(answers.map(answer => answer.status)).toEqual(answers.map(() => 200));
    expect(emulator.stats.paletteTokenRenewals - renewalsBefore).toBe(1);
    // Both replicas now hand out the renewed token.
    expect(await storedToken(b)).toBe(await storedToken(a));
    expect(a.metrics.snapshot().handoff.renewed + b.metrics.snapshot().handoff.renewed).toBe(1);
  });

  it("is bounded: a Palette that does not answer fails the call within the environment's timeout, naming no address", async () => {
    const proxy = await startFaultProxy({ target: { port: Number(new URL(emulator.url).port) } });
    try {
      const replica = await startReplica(ports[3]!, { type: 'memory' }, undefined, { url: proxy.origin('http'), timeout: 1_000 });
      const backstageToken = await signIn(replica);
      await proxy.setMode('blackhole');
      const began = performance.now();
      const answer = await me(replica, backstageToken);
      expect(performance.now() - began).toBeLessThan(1_000 + 2_000);
      expect(answer.status).toBeGreaterThanOrEqual(500);
      expect(answer.text).toMatch(/SpectroCloud Palette's API did not answer within 1000 ms/);
      expect(answer.text).not.toMatch(new RegExp(`127\\.0\\.0\\.1|${proxy.port}`));
      expect(answer.headers['x-spectrocloud-reauth-required']).toBeUndefined();
    } finally {
      await proxy.close();
    }
  });

  it('never logs a session token, renewed or not', async () => {
    const replica = await startReplica(ports[3]!, { type: 'memory' });
    const backstageToken = await signIn(replica);
    const first = await storedToken(replica);
    now += 11 * MINUTE;
    expect((await me(replica, backstageToken)).status).toBe(200);
    const renewed = await storedToken(replica);
    expect(renewed).not.toBe(first);
    const logs = replica.backend.logLines.join('\n');
    expect(logs).not.toContain(first);
    expect(logs).not.toContain(renewed);
  });
});
