import express from 'express';
import request from 'supertest';
import { DefaultIdentityClient } from '@backstage/plugin-auth-node';
import { ConfigReader } from '@backstage/config';
import { spectrocloud } from '../../src';
import { createPaletteTokenCache, createPaletteTokenMiddleware, type PaletteTokenCache, type SpectroCloudRequest } from '../../src/paletteTokens';
import { SpectroCloudAuthMetrics } from '../../src/metrics';
import { startSpectroCloudEmulator, type SpectroCloudEmulator } from '../../src/testing';
import { environmentThroughProxy } from '../support/environmentThroughProxy';
import { startFaultProxy, type FaultProxy } from '../support/faultProxy';
import { startLegacyBackend, type LegacyBackend } from '../support/legacyBackend';
import { getFreePort, startRedisServer, type RedisTestServer } from '../support/redisServer';
import { authorize, callback, CATALOG, CLIENT_ID, CLIENT_SECRET, CookieJar, startSignIn, USERS } from '../support/spectroFixture';

/**
 * The fault rig: the real legacy router with our provider, SpectroCloud's
 * emulator behind a loopback TCP fault proxy (every call the backend makes to
 * SpectroCloud -- token, JWKS -- crosses it; the browser reaches the emulator
 * directly, as a user's browser reaches SpectroCloud), optionally a real
 * redis-server as the token store, and a backend plugin using the token
 * hand-off middleware.
 */
export interface FaultRig {
  emulator: SpectroCloudEmulator;
  /** in front of the emulator, for the backend's outbound calls */
  proxy: FaultProxy;
  backend: LegacyBackend;
  redis?: RedisTestServer;
  cache: PaletteTokenCache;
  metrics: SpectroCloudAuthMetrics;
  /** the provider's `timeout` (ms) for every call to SpectroCloud */
  timeoutMs: number;
  close(): Promise<void>;
}

export interface SignInOutcome {
  ok: boolean;
  ms: number;
  /** `<error name>: <message>` from the popup page when it failed */
  error?: string;
  backstageToken?: string;
}

export async function startFaultRig(options: { timeoutMs?: number; redis?: boolean } = {}): Promise<FaultRig> {
  const timeoutMs = options.timeoutMs ?? 2_000;
  const port = await getFreePort();
  const emulator = await startSpectroCloudEmulator({
    clients: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [`http://127.0.0.1:${port}/api/auth/spectrocloud/handler/frame`] }],
    users: USERS,
    autoApprove: true,
  });
  const proxy = await startFaultProxy({ target: { port: Number(new URL(emulator.url).port) } });
  // Data survives a Redis kill (append-only file), as in a production Redis with persistence.
  const redis = options.redis ? await startRedisServer({ appendonly: true }) : undefined;
  const tokenStore = redis ? { type: 'redis', redis: { url: redis.url } } : { type: 'memory' };
  const metrics = new SpectroCloudAuthMetrics();
  const cache = createPaletteTokenCache(new ConfigReader({ auth: { providers: { spectrocloud: { tokenStore } } } }), { metrics });
  const backend = await startLegacyBackend({
    port,
    providerFactories: { spectrocloud: spectrocloud.create({ paletteTokenCache: cache, metrics }) },
    users: CATALOG,
    providers: {
      spectrocloud: {
        development: environmentThroughProxy(emulator, proxy, { timeout: timeoutMs }),
      },
    },
    routers: ({ discovery }) => {
      const router = express.Router();
      const identity = DefaultIdentityClient.create({ discovery, issuer: undefined });
      router.use(createPaletteTokenMiddleware({ identity, cache, metrics }));
      router.get('/whoami', (req, res) => res.json({ userEntityRef: (req as SpectroCloudRequest).spectroCloud!.userEntityRef }));
      return { '/api/spectrocloud': router };
    },
  });
  return {
    emulator,
    proxy,
    backend,
    redis,
    cache,
    metrics,
    timeoutMs,
    async close() {
      await backend.close();
      await cache.close();
      await proxy.close();
      await emulator.close();
      await redis?.stop();
    },
  };
}

/** One whole sign-in as a browser does it (start -> SpectroCloud -> handler/frame), timed. */
export async function timedSignIn(rig: FaultRig, email = 'alice@example.com'): Promise<SignInOutcome> {
  const began = performance.now();
  const jar = new CookieJar();
  try {
    const start = await startSignIn(rig, jar);
    if (start.status !== 302) return { ok: false, ms: performance.now() - began, error: `start answered ${start.status}` };
    const frame = await callback(rig, jar, await authorize(start.headers.location, email));
    const ms = performance.now() - began;
    const { error, response } = frame.message;
    if (error) return { ok: false, ms, error: `${error.name}: ${error.message}` };
    return { ok: true, ms, backstageToken: response?.backstageIdentity?.token };
  } catch (error) {
    return { ok: false, ms: performance.now() - began, error: String(error) };
  }
}

/** What a backend plugin answers the signed-in user right now. */
export async function pluginCall(rig: FaultRig, backstageToken: string) {
  const began = performance.now();
  const response = await request(rig.backend.url).get('/api/spectrocloud/whoami').set('Authorization', `Bearer ${backstageToken}`);
  return {
    status: response.status,
    ms: performance.now() - began,
    retryAfter: response.headers['retry-after'] as string | undefined,
    reAuth: response.headers['x-spectrocloud-reauth-required'] as string | undefined,
    code: response.body?.error?.code as string | undefined,
    text: response.text,
  };
}

/**
 * Repeats `attempt` until it succeeds or `limitMs` has passed; returns the
 * time from the call to the first success (the recovery time), or undefined.
 */
export async function timeUntil(attempt: () => Promise<boolean>, limitMs: number, pauseMs = 100): Promise<number | undefined> {
  const began = performance.now();
  while (performance.now() - began < limitMs) {
    if (await attempt()) return performance.now() - began;
    await new Promise(resolve => setTimeout(resolve, pauseMs));
  }
  return undefined;
}

/** One line per fault for the test output: what users saw and how long recovery took. */
export function report(fault: string, facts: Record<string, string | number | undefined>) {
  const text = Object.entries(facts)
    .map(([key, value]) => `${key}=${typeof value === 'number' ? Math.round(value) : value}`)
    .join(' ');
  console.info(`[fault] ${fault}: ${text}`);
}
