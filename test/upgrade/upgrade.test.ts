import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionTokenPlugin } from '../support/sessionTokenPlugin';
import { readdirSync } from 'node:fs';
import request from 'supertest';
import type { JsonObject } from '@backstage/types';
import { spectrocloud } from '../../src';
import { createSpectroCloudAuthModule } from '../../src/newBackend/module';
import { startSpectroCloudEmulator, type SpectroCloudEmulator } from '../../src/testing';
import { startLegacyBackend, type LegacyBackend } from '../support/legacyBackend';
import { startNewBackend } from '../support/newBackend';
import { getFreePort, startRedisServer, type RedisTestServer } from '../support/redisServer';
import { CATALOG, CLIENT_ID, CLIENT_SECRET, CookieJar, logout, refresh, signIn, USERS, type Fixture } from '../support/spectroFixture';
import { createTempDir, removeTempDir } from '../support/tempDir';


/**
 * One deployment (config, secrets, sqlite database, Redis, port) upgraded in
 * place: a user signed in under the legacy backend keeps the session after
 * the operator switches it to the new backend system with the module.
 */
describe('upgrading a deployment from the legacy auth backend to the new backend system', () => {
  let redis: RedisTestServer;
  let emulator: SpectroCloudEmulator;
  let port: number;
  let deployment: { providers: JsonObject; database: JsonObject };
  let running: LegacyBackend | undefined;
  let databaseDir: string;
  const at = (backend: LegacyBackend) => ({ backend }) as unknown as Fixture;

  beforeAll(async () => {
    [redis, port, databaseDir] = await Promise.all([startRedisServer(), getFreePort(), createTempDir('upgrade-db-')]);
    emulator = await startSpectroCloudEmulator({
      clients: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [`http://127.0.0.1:${port}/api/auth/spectrocloud/handler/frame`] }],
      users: USERS,
      autoApprove: true,
    });
    deployment = {
      // The same app-config under both backends.
      providers: {
        spectrocloud: {
          tokenStore: { type: 'redis', redis: { url: redis.url }, apiTokenCookie: true },
          development: {
            clientId: CLIENT_ID,
            clientSecret: CLIENT_SECRET,
            authorizationUrl: emulator.authorizationUrl,
            sessionDuration: '8h',
            signIn: { resolvers: [{ resolver: 'emailMatchingUserEntityProfileEmail' }] },
          },
        },
      },
      database: { client: 'better-sqlite3', connection: { directory: databaseDir } },
    };
  });
  afterAll(async () => {
    await running?.close();
    await emulator?.close();
    await redis?.stop();
    if (databaseDir) await removeTempDir(databaseDir);
  });

  it('keeps Alice signed in as the same user with her SpectroCloud session token, then signs her out for good', async () => {
    running = await startLegacyBackend({
      port,
      users: CATALOG,
      ...deployment,
      providerFactories: { spectrocloud: spectrocloud.create() },
    });
    const { jar, frame } = await signIn(at(running));
    expect(frame.message.response.backstageIdentity.identity.userEntityRef).toBe('user:default/alice');
    const sessionToken = jar.values.get('spectrocloud-api-token');
    expect(emulator.verifyPaletteToken(sessionToken!)).toMatchObject({ email: 'alice@example.com' });
    expect(readdirSync(databaseDir).length).toBeGreaterThan(0);
    await running.close();
    running = undefined;

    running = await startNewBackend({
      port,
      users: CATALOG,
      ...deployment,
      features: [createSpectroCloudAuthModule(), sessionTokenPlugin],
    });
    const refreshed = await refresh(at(running), jar);
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.backstageIdentity.identity.userEntityRef).toBe('user:default/alice');
    expect(refreshed.body.providerInfo.idToken).toBe(frame.message.response.providerInfo.idToken);

    const handoff = await request(running.url)
      .get('/api/spectrocloud/whoami')
      .set('Authorization', `Bearer ${refreshed.body.backstageIdentity.token}`);
    expect(handoff.status).toBe(200);
    expect(handoff.body).toEqual({ userEntityRef: 'user:default/alice', tokenTail: sessionToken!.slice(-12) });

    // The session sealed by the legacy backend is ended by the new one, on the same record.
    const copy = jar.copy();
    expect((await logout(at(running), jar)).status).toBe(200);
    expect((await refresh(at(running), copy)).status).toBe(401);
    const afterSignOut = await request(running.url)
      .get('/api/spectrocloud/whoami')
      .set('Authorization', `Bearer ${refreshed.body.backstageIdentity.token}`);
    expect(afterSignOut.status).toBe(401);
    expect(afterSignOut.headers['x-spectrocloud-reauth-required']).toBe('true');
  });

  it('signs in normally on the new backend afterwards', async () => {
    const { frame } = await signIn(at(running!), 'alice@example.com', new CookieJar());
    expect(frame.message.error).toBeUndefined();
    expect(frame.message.response.backstageIdentity.identity.userEntityRef).toBe('user:default/alice');
  });
});
