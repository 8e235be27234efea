import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSpectroCloudEmulator, type SpectroCloudEmulator } from '../../src/testing';
import { type RedisTestServer, startRedisServer } from '../support/redisServer';
import { findLeakedSecret, registerSecret, registeredSecrets } from '../support/secrets';
import { CLIENT_ID, CLIENT_SECRET, CookieJar, USERS, authorize, callback, logout, refresh, startSignIn } from '../support/spectroFixture';
import { createTempDir, removeTempDir } from '../support/tempDir';
import type { ReplicaSettings } from './fixtures/replicaBackend';

const REPLICA = fileURLToPath(new URL('./fixtures/replicaBackend.ts', import.meta.url));
// What both replicas are reached by in production (a load balancer); the test sends each request to one of them.
const CALLBACK_URL = 'http://localhost/api/auth/spectrocloud/handler/frame';
const START_TIMEOUT_MS = 45_000;

interface Replica {
  backend: { url: string };
  output: string[];
  stop(): Promise<void>;
}

/** Starts one replica in its own Node process and waits for its URL. */
async function startReplica(settings: ReplicaSettings): Promise<Replica> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', REPLICA], {
    env: { ...process.env, REPLICA_SETTINGS: JSON.stringify(settings), TEST_LOGS: '1' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exited = new Promise<void>(resolve => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`replica did not start within ${START_TIMEOUT_MS} ms:\n${output.join('')}`)), START_TIMEOUT_MS);
    child.stderr!.on('data', chunk => output.push(String(chunk)));
    child.stdout!.on('data', chunk => {
      const text = String(chunk);
      output.push(text);
      const ready = /^\{"url":"([^"]+)"\}$/m.exec(text);
      if (ready) {
        clearTimeout(timer);
        resolve(ready[1]!);
      }
    });
    child.once('exit', code => {
      clearTimeout(timer);
      reject(new Error(`replica exited (${code}) before listening:\n${output.join('')}`));
    });
  });
  return {
    backend: { url },
    output,
    async stop() {
      child.stdin!.end(); // the replica exits when its stdin closes
      const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

/**
 * Two legacy backends, each in its own process, on one Redis (and one auth
 * database, as replicas share one): sign in on one, refresh, call a plugin
 * and sign out on the other.
 */
describe('two replicas in two processes on one Redis token store', () => {
  let emulator: SpectroCloudEmulator;
  let redis: RedisTestServer;
  let dir: string;
  let a: Replica;
  let b: Replica;

  beforeAll(async () => {
    [emulator, redis, dir] = await Promise.all([
      startSpectroCloudEmulator({
        clients: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [CALLBACK_URL] }],
        users: USERS,
        autoApprove: true,
      }),
      startRedisServer(),
      createTempDir('replicas'),
    ]);
    const encryptionKey = randomBytes(32).toString('base64');
    registerSecret(encryptionKey);
    const settings: ReplicaSettings = {
      authorizationUrl: emulator.authorizationUrl,
      callbackUrl: CALLBACK_URL,
      tokenStore: { type: 'redis', redis: { url: redis.url }, encryptionKey, apiTokenCookie: true },
      sqliteDirectory: dir,
    };
    // One after the other: both run the auth database's migrations at start.
    a = await startReplica(settings);
    b = await startReplica(settings);
  }, 120_000);
  afterAll(async () => {
    await Promise.allSettled([a?.stop(), b?.stop()]);
    await Promise.allSettled([emulator?.close(), redis?.stop()]);
    if (dir) await removeTempDir(dir);
  });

  const whoami = (replica: Replica, backstageToken: string) =>
    request(replica.backend.url).get('/api/spectrocloud/whoami').set('Authorization', `Bearer ${backstageToken}`);

  it('signs in on A, refreshes and hands the token to a plugin on B, signs out on B, and both see the sign-out', async () => {
    const jar = new CookieJar();
    const start = await startSignIn(a, jar);
    expect(start.status).toBe(302);
    const frame = await callback(a, jar, await authorize(start.headers.location, 'alice@example.com'));
    expect(frame.message.error).toBeUndefined();
    const sessionTokenTail = jar.values.get('spectrocloud-api-token')?.slice(-12);
    expect(sessionTokenTail).toBeDefined();

    const refreshed = await refresh(b, jar);
    expect(refreshed.status).toBe(200);
    const tokenFromB = refreshed.body.backstageIdentity.token as string;

    for (const replica of [b, a]) {
      const response = await whoami(replica, tokenFromB);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ userEntityRef: 'user:default/alice', tokenTail: sessionTokenTail });
    }

    expect((await logout(b, jar)).status).toBe(200);
    for (const replica of [a, b]) {
      const response = await whoami(replica, tokenFromB);
      expect(response.status).toBe(401);
      expect(response.body.error?.name ?? response.text).toMatch(/ReAuthRequired|reauth|sign in with SpectroCloud again/i);
      expect(response.headers['x-spectrocloud-reauth-required']).toBe('true');
    }
  }, 60_000);

  it('printed no secret in either replica', () => {
    const output = [...a.output, ...b.output].join('');
    expect(findLeakedSecret(output, registeredSecrets())).toBeUndefined();
  });
});
