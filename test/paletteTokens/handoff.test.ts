import { SpectroCloudAuthMetrics } from '../../src/metrics';
import { createHash, generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { DefaultIdentityClient, IdentityClient } from '@backstage/plugin-auth-node';
import express from 'express';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PaletteTokenCache,
  SpectroCloudAuthenticationError,
  type SpectroCloudRequest,
  type PaletteTokenHandoffOptions,
  createPaletteTokenMiddleware,
  getPaletteToken,
} from '../../src/paletteTokens';
import { MemoryStore } from '../../src/ttlStore/memoryStore';
import { RedisStore } from '../../src/paletteTokens/stores/redisStore';
import { type RedisTestServer, startRedisServer } from '../support/redisServer';
import { registerSecret } from '../support/secrets';

const HOUR = 60 * 60 * 1000;
const ALICE = 'user:default/alice';
const BOB = 'user:default/bob';
const MALLORY = 'user:default/mallory';

/**
 * A stand-in for the legacy auth backend's signing side: an ES256 key whose
 * public half is served at <base>/api/auth/.well-known/jwks.json, where
 * @backstage/plugin-auth-node's DefaultIdentityClient looks for it.
 */
class FakeAuthBackend {
  readonly kid = randomUUID();
  private readonly keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  private server?: Server;
  baseUrl = '';

  get issuer() {
    return `${this.baseUrl}/api/auth`;
  }

  readonly discovery = {
    getBaseUrl: async (pluginId: string) => `${this.baseUrl}/api/${pluginId}`,
    getExternalBaseUrl: async (pluginId: string) => `${this.baseUrl}/api/${pluginId}`,
  };

  async start() {
    const app = express();
    app.get('/api/auth/.well-known/jwks.json', (_req, res) => {
      res.json({ keys: [{ ...this.keys.publicKey.export({ format: 'jwk' }), kid: this.kid, alg: 'ES256', use: 'sig' }] });
    });
    await new Promise<void>(resolve => {
      this.server = app.listen(0, '127.0.0.1', () => resolve());
    });
    this.baseUrl = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  stop() {
    return new Promise<void>(resolve => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** A Backstage identity token as the legacy auth backend issues it. */
  tokenFor(userEntityRef: string, overrides: { key?: unknown; audience?: string; expiresIn?: number } = {}) {
    const token = jwt.sign({ sub: userEntityRef, ent: [userEntityRef] }, (overrides.key ?? this.keys.privateKey) as jwt.Secret, {
      algorithm: 'ES256',
      keyid: this.kid,
      issuer: this.issuer,
      audience: overrides.audience ?? 'backstage',
      expiresIn: overrides.expiresIn ?? 3600,
    });
    registerSecret(token);
    return token;
  }
}

/** Palette-like HS256 session token, signed with a key we do not keep. */
function paletteToken(email: string): string {
  const token = jwt.sign({ email }, randomBytes(32), { algorithm: 'HS256', expiresIn: '2h' });
  registerSecret(token);
  return token;
}

const fingerprint = (token: string) => createHash('sha256').update(token).digest('hex');

/** The plugin under test: reports which token it was handed, by fingerprint only. */
function pluginApp(options: PaletteTokenHandoffOptions) {
  const app = express();
  app.use('/api/spectrocloud', createPaletteTokenMiddleware(options));
  app.get('/api/spectrocloud/clusters', (req, res) => {
    const { spectroCloud } = req as SpectroCloudRequest;
    res.json({
      tokenFingerprint: fingerprint(res.locals.spectroCloudToken),
      userEntityRef: spectroCloud?.userEntityRef,
      source: spectroCloud?.source,
    });
  });
  return app;
}

describe('SpectroCloud token hand-off to backend plugins', () => {
  const auth = new FakeAuthBackend();
  let identity: DefaultIdentityClient;
  let cache: PaletteTokenCache;
  const aliceSession = paletteToken('alice@example.com');
  const bobSession = paletteToken('bob@example.com');

  beforeAll(async () => {
    await auth.start();
    identity = DefaultIdentityClient.create({ discovery: auth.discovery, issuer: auth.issuer });
    const now = Date.now();
    cache = new PaletteTokenCache({ store: new MemoryStore({ sweepIntervalMs: 0 }) });
    await cache.remember({ userEntityRef: ALICE, email: 'alice@example.com', sessionToken: aliceSession, expiresAt: now + HOUR });
    await cache.remember({ userEntityRef: BOB, email: 'bob@example.com', sessionToken: bobSession, expiresAt: now + HOUR });
  });
  afterAll(() => auth.stop());

  it("hands a verified user their own SpectroCloud token, with no re-auth header", async () => {
    const res = await request(pluginApp({ identity, cache }))
      .get('/api/spectrocloud/clusters')
      .set('Authorization', `Bearer ${auth.tokenFor(ALICE)}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ tokenFingerprint: fingerprint(aliceSession), userEntityRef: ALICE, source: 'user-session' });
    expect(res.headers['x-spectrocloud-reauth-required']).toBeUndefined();
  });

  it("refuses with 403 when X-SpectroCloud-User-Email names another user", async () => {
    const res = await request(pluginApp({ identity, cache }))
      .get('/api/spectrocloud/clusters')
      .set('Authorization', `Bearer ${auth.tokenFor(ALICE)}`)
      .set('X-SpectroCloud-User-Email', 'bob@example.com');
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ name: 'SpectroCloudNotAllowedError', code: 'ERR_USER_EMAIL_MISMATCH' });
    expect(res.body.error.message).toMatch(/names a different user than the signed-in Backstage user/);
    expect(JSON.stringify(res.body)).not.toContain(fingerprint(bobSession));
  });

  it("accepts X-SpectroCloud-User-Email when it is the caller's own e-mail, in any case", async () => {
    const res = await request(pluginApp({ identity, cache }))
      .get('/api/spectrocloud/clusters')
      .set('Authorization', `Bearer ${auth.tokenFor(ALICE)}`)
      .set('X-SpectroCloud-User-Email', 'ALICE@example.com');
    expect(res.status).toBe(200);
    expect(res.body.tokenFingerprint).toBe(fingerprint(aliceSession));
  });

  it('refuses X-SpectroCloud-User-Email for a session stored without an e-mail (403, ERR_USER_EMAIL_MISMATCH)', async () => {
    const DAVE = 'user:default/dave';
    const daveSession = paletteToken('dave@example.com');
    await cache.remember({ userEntityRef: DAVE, sessionToken: daveSession, expiresAt: Date.now() + HOUR });
    const res = await request(pluginApp({ identity, cache }))
      .get('/api/spectrocloud/clusters')
      .set('Authorization', `Bearer ${auth.tokenFor(DAVE)}`)
      .set('X-SpectroCloud-User-Email', 'dave@example.com');
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ code: 'ERR_USER_EMAIL_MISMATCH' });
    expect(res.text).not.toContain(fingerprint(daveSession));
  });

  it("ignores another user's token in the spectrocloud-api-token cookie and X-SpectroCloud-Token header", async () => {
    const res = await request(pluginApp({ identity, cache }))
      .get('/api/spectrocloud/clusters')
      .set('Authorization', `Bearer ${auth.tokenFor(ALICE)}`)
      .set('Cookie', `spectrocloud-api-token=${bobSession}`)
      .set('X-SpectroCloud-Token', bobSession);
    expect(res.status).toBe(200);
    expect(res.body.tokenFingerprint).toBe(fingerprint(aliceSession));
  });

  it("never gives a user without a session someone else's token, whatever the request names", async () => {
    const res = await request(pluginApp({ identity, cache }))
      .get('/api/spectrocloud/clusters')
      .set('Authorization', `Bearer ${auth.tokenFor(MALLORY)}`)
      .set('X-SpectroCloud-User-Email', 'bob@example.com')
      .set('Cookie', `spectrocloud-api-token=${bobSession}`)
      .set('X-SpectroCloud-Token', bobSession);
    expect(res.status).toBe(401);
    expect(res.headers['x-spectrocloud-reauth-required']).toBe('true');
    expect(res.text).not.toContain(fingerprint(bobSession));
  });

  it('answers 401 without a re-auth header when there is no Backstage token', async () => {
    const res = await request(pluginApp({ identity, cache }))
      .get('/api/spectrocloud/clusters')
      .set('X-SpectroCloud-User-Email', 'alice@example.com');
    expect(res.status).toBe(401);
    expect(res.body.error).toMatchObject({ name: 'SpectroCloudAuthenticationError', code: 'ERR_BACKSTAGE_TOKEN_MISSING' });
    expect(res.headers['x-spectrocloud-reauth-required']).toBeUndefined();
  });

  it('answers 401 to a Backstage token signed with a key the auth backend does not publish', async () => {
    const forgedKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const res = await request(pluginApp({ identity, cache }))
      .get('/api/spectrocloud/clusters')
      .set('Authorization', `Bearer ${auth.tokenFor(ALICE, { key: forgedKey })}`);
    expect(res.status).toBe(401);
    expect(res.body.error).toMatchObject({ code: 'ERR_BACKSTAGE_TOKEN_INVALID' });
    expect(res.headers['x-spectrocloud-reauth-required']).toBeUndefined();
  });

  it('answers 401 to an unsigned (alg none) Backstage token claiming to be another user', async () => {
    const unsigned = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(
      JSON.stringify({ sub: BOB, aud: 'backstage', iss: auth.issuer, iat: Math.floor(Date.now() / 1000) }),
    ).toString('base64url')}.`;
    const res = await request(pluginApp({ identity, cache })).get('/api/spectrocloud/clusters').set('Authorization', `Bearer ${unsigned}`);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('ERR_BACKSTAGE_TOKEN_INVALID');
  });

  it('answers 401 to an expired Backstage token and to one for another audience', async () => {
    const app = pluginApp({ identity, cache });
    for (const token of [auth.tokenFor(ALICE, { expiresIn: -60 }), auth.tokenFor(ALICE, { audience: 'not-backstage' })]) {
      const res = await request(app).get('/api/spectrocloud/clusters').set('Authorization', `Bearer ${token}`);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('ERR_BACKSTAGE_TOKEN_INVALID');
    }
  });

  it('asks for a SpectroCloud sign-in (401 + re-auth header) once the session token has expired', async () => {
    let later = Date.now();
    const clock = () => later;
    const expiring = new PaletteTokenCache({ store: new MemoryStore({ clock, sweepIntervalMs: 0 }), clock });
    await expiring.remember({ userEntityRef: ALICE, email: 'alice@example.com', sessionToken: aliceSession, expiresAt: later + HOUR });
    later += HOUR;
    const res = await request(pluginApp({ identity, cache: expiring }))
      .get('/api/spectrocloud/clusters')
      .set('Authorization', `Bearer ${auth.tokenFor(ALICE)}`);
    expect(res.status).toBe(401);
    expect(res.headers['x-spectrocloud-reauth-required']).toBe('true');
    expect(res.headers['access-control-expose-headers']).toMatch(/X-SpectroCloud-ReAuth-Required/);
    expect(res.body.error).toMatchObject({ name: 'SpectroCloudReAuthRequiredError', code: 'ERR_SPECTROCLOUD_REAUTH_REQUIRED' });
    expect(res.body.error.message).toBe(
      'Your Palette token has expired or is unknown to this backend; sign in with SpectroCloud again',
    );
  });

  it('does not fall back to the service token unless allowServiceTokenFallback is set', async () => {
    const serviceToken = paletteToken('svc@example.com');
    const res = await request(pluginApp({ identity, cache, serviceToken }))
      .get('/api/spectrocloud/clusters')
      .set('Authorization', `Bearer ${auth.tokenFor(MALLORY)}`);
    expect(res.status).toBe(401);
    expect(res.headers['x-spectrocloud-reauth-required']).toBe('true');
  });

  it('falls back to the service token when opted in, without a re-auth header', async () => {
    const serviceToken = paletteToken('svc@example.com');
    const res = await request(pluginApp({ identity, cache, serviceToken, allowServiceTokenFallback: true }))
      .get('/api/spectrocloud/clusters')
      .set('Authorization', `Bearer ${auth.tokenFor(MALLORY)}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ tokenFingerprint: fingerprint(serviceToken), userEntityRef: MALLORY, source: 'service-token' });
    expect(res.headers['x-spectrocloud-reauth-required']).toBeUndefined();
  });

  it('still prefers the user session over the service token when both exist', async () => {
    const res = await request(pluginApp({ identity, cache, serviceToken: paletteToken('svc@example.com'), allowServiceTokenFallback: true }))
      .get('/api/spectrocloud/clusters')
      .set('Authorization', `Bearer ${auth.tokenFor(ALICE)}`);
    expect(res.body.source).toBe('user-session');
  });

  it('never uses the service token for a request without a valid Backstage token', async () => {
    const res = await request(pluginApp({ identity, cache, serviceToken: paletteToken('svc@example.com'), allowServiceTokenFallback: true }))
      .get('/api/spectrocloud/clusters');
    expect(res.status).toBe(401);
  });

  it('works with the legacy IdentityClient, which only has authenticate()', async () => {
    const legacy = IdentityClient.create({ discovery: auth.discovery, issuer: auth.issuer });
    const app = pluginApp({ identity: legacy, cache });
    const ok = await request(app).get('/api/spectrocloud/clusters').set('Authorization', `Bearer ${auth.tokenFor(BOB)}`);
    expect(ok.body.tokenFingerprint).toBe(fingerprint(bobSession));
    const spoofed = await request(app)
      .get('/api/spectrocloud/clusters')
      .set('Authorization', `Bearer ${auth.tokenFor(BOB)}`)
      .set('X-SpectroCloud-User-Email', 'alice@example.com');
    expect(spoofed.status).toBe(403);
  });

  it('counts each outcome in the metrics', async () => {
    const metrics = new SpectroCloudAuthMetrics();
    const app = pluginApp({ identity, cache, metrics });
    await request(app).get('/api/spectrocloud/clusters').set('Authorization', `Bearer ${auth.tokenFor(ALICE)}`);
    await request(app).get('/api/spectrocloud/clusters');
    await request(app)
      .get('/api/spectrocloud/clusters')
      .set('Authorization', `Bearer ${auth.tokenFor(ALICE)}`)
      .set('X-SpectroCloud-User-Email', 'bob@example.com');
    await request(app).get('/api/spectrocloud/clusters').set('Authorization', `Bearer ${auth.tokenFor(MALLORY)}`);
    expect(metrics.snapshot().handoff).toEqual({
      granted: 1,
      serviceTokenFallbacks: 0,
      unauthenticated: 1,
      forbidden: 1,
      reAuthRequired: 1,
      unavailable: 0,
      renewed: 0,
      renewalRefused: 0,
      renewalFailed: 0,
    });
  });

  it('throws typed errors when called directly with getPaletteToken', async () => {
    const req = { headers: {} } as unknown as express.Request;
    await expect(getPaletteToken({ req, identity, cache })).rejects.toBeInstanceOf(SpectroCloudAuthenticationError);
  });

  it('refuses to build without an identity client', () => {
    expect(() => createPaletteTokenMiddleware({ identity: {} as never, cache })).toThrow(/needs an identity client/);
  });
});

describe('SpectroCloud token hand-off backed by Redis', () => {
  const auth = new FakeAuthBackend();
  let redis: RedisTestServer;
  let identity: DefaultIdentityClient;
  const aliceSession = paletteToken('alice@example.com');

  beforeAll(async () => {
    await auth.start();
    redis = await startRedisServer();
    identity = DefaultIdentityClient.create({ discovery: auth.discovery, issuer: auth.issuer });
  });
  afterAll(async () => {
    await auth.stop();
    await redis?.stop();
  });

  it('keeps serving the token after a backend restart (new store instance, same Redis)', async () => {
    const beforeRestart = new PaletteTokenCache({ store: new RedisStore({ client: redis.url }) });
    await beforeRestart.remember({ userEntityRef: ALICE, email: 'alice@example.com', sessionToken: aliceSession, expiresAt: Date.now() + HOUR });
    await beforeRestart.close();

    const afterRestart = new PaletteTokenCache({ store: new RedisStore({ client: redis.url }) });
    const res = await request(pluginApp({ identity, cache: afterRestart }))
      .get('/api/spectrocloud/clusters')
      .set('Authorization', `Bearer ${auth.tokenFor(ALICE)}`);
    expect(res.status).toBe(200);
    expect(res.body.tokenFingerprint).toBe(fingerprint(aliceSession));
    await afterRestart.close();
  });

  it('answers 503 with Retry-After and no re-auth signal while Redis is down, naming no address', async () => {
    const metrics = new SpectroCloudAuthMetrics();
    const cache = new PaletteTokenCache({ store: new RedisStore({ client: redis.url, metrics }) });
    await cache.remember({ userEntityRef: ALICE, email: 'alice@example.com', sessionToken: aliceSession, expiresAt: Date.now() + HOUR });
    await redis.stop();
    try {
      const res = await request(pluginApp({ identity, cache, metrics }))
        .get('/api/spectrocloud/clusters')
        .set('Authorization', `Bearer ${auth.tokenFor(ALICE)}`);
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      // Signing in again cannot help while the store itself is down.
      expect(res.headers['x-spectrocloud-reauth-required']).toBeUndefined();
      expect(res.body.error).toMatchObject({ name: 'SpectroCloudTokenStoreError', code: 'ERR_TOKEN_STORE_UNAVAILABLE' });
      expect(res.body.error.message).toMatch(/Redis token store is unavailable/);
      expect(res.text).not.toContain('127.0.0.1');
      expect(res.text).not.toContain(String(redis.port));
      expect(metrics.snapshot().handoff.unavailable).toBe(1);
      expect(metrics.snapshot().tokenStore.errors).toBe(1);
    } finally {
      await redis.restart();
      await cache.close();
    }
  });
});
