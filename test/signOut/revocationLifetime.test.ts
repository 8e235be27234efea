import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SealedSession } from '../../src/refreshSession/SealedSession';
import { redisCommand } from '../support/redisCommand';
import { startRedisServer, type RedisTestServer } from '../support/redisServer';
import { registerSecret } from '../support/secrets';
import {
  authorize,
  callback,
  CLIENT_ID,
  CLIENT_SECRET,
  CookieJar,
  logout,
  refresh,
  signIn,
  startFixture,
  startSignIn,
  type Fixture,
} from '../support/spectroFixture';

/*
 * Rules of the security core that a one-line break used to slip past: each
 * case here fails when its rule is removed by hand.
 */
const environment = (emulator: Fixture['emulator']) => ({
  clientId: CLIENT_ID,
  clientSecret: CLIENT_SECRET,
  authorizationUrl: emulator.authorizationUrl,
  signIn: { resolvers: [{ resolver: 'emailMatchingUserEntityProfileEmail' }] },
});

describe('a sign-out is kept as long as the session could otherwise live (Redis TTL)', () => {
  let redis: RedisTestServer;
  let fixture: Fixture;
  beforeAll(async () => {
    redis = await startRedisServer();
    fixture = await startFixture({
      // 8 h of sessionDuration, 1 h ID tokens: the revocation must last the ID token's remaining hour.
      providerConfig: emulator => ({
        tokenStore: { type: 'redis', redis: { url: redis.url } },
        development: { ...environment(emulator), sessionDuration: '8h' },
      }),
    });
  });
  afterAll(async () => {
    await fixture?.close();
    await redis?.stop();
  });

  it('stores the revocation with a TTL reaching the ID token expiry, not a few minutes', async () => {
    const { jar, frame } = await signIn(fixture);
    expect(frame.message.error).toBeUndefined();
    await redisCommand(redis.port, 'FLUSHALL');
    expect((await logout(fixture, jar)).status).toBe(200);
    const keys = (await redisCommand(redis.port, 'KEYS', '*')) as string[];
    const ttls = await Promise.all(keys.map(key => redisCommand(redis.port, 'PTTL', key) as Promise<number>));
    // The only key the sign-out writes is the revocation (the session token is forgotten, not written).
    expect(ttls).toHaveLength(1);
    const idTokenLeftMs = frame.message.response.providerInfo.expiresInSeconds * 1000;
    expect(ttls[0]).toBeGreaterThan(idTokenLeftMs - 60_000);
    expect(ttls[0]).toBeLessThanOrEqual(idTokenLeftMs + 60_000);
  });
});

describe('text SpectroCloud sends back is redacted', () => {
  let fixture: Fixture;
  beforeAll(async () => {
    fixture = await startFixture();
  });
  afterAll(() => fixture?.close());

  it('an error_description echoing the authorization code or a secret reaches neither the popup nor a log line', async () => {
    const jar = new CookieJar();
    const start = await startSignIn(fixture, jar);
    const code = new URL(await authorize(start.headers.location, 'alice@example.com')).searchParams.get('code')!;
    const echoed = `bad code ${code} for client secret ${CLIENT_SECRET}`;
    const state = new URL(start.headers.location).searchParams.get('state')!;
    const url = new URL(`${fixture.providerBase}/handler/frame`);
    url.search = new URLSearchParams({ error: 'invalid_request', error_description: echoed, state }).toString();
    const frame = await callback(fixture, jar, url.toString());
    expect(frame.message.error?.message).toContain('invalid_request');
    expect(frame.message.error?.message).toContain('[redacted]');
    for (const text of [frame.html, fixture.backend.logLines.join('\n')]) {
      expect(text).not.toContain(code);
      expect(text).not.toContain(CLIENT_SECRET);
    }
  });
});

describe('a stored ID token is verified again on /refresh', () => {
  let fixture: Fixture;
  beforeAll(async () => {
    fixture = await startFixture();
  });
  afterAll(() => fixture?.close());

  it('refuses a sealed session whose ID token has a bad signature (not only an expired one)', async () => {
    const { jar } = await signIn(fixture);
    // The test holds the client secret, so it can seal what a compromised cookie store would hold.
    const sealed = new SealedSession(CLIENT_SECRET, 'spectrocloud:development');
    const cookieValue = jar.values.get('spectrocloud-refresh-token')!;
    const payload = sealed.open(cookieValue, index => jar.values.get(`spectrocloud-refresh-token-${index}`));
    const [header, body, signature] = payload.idToken.split('.');
    const flipped = `${header}.${body}.${signature.slice(0, 10)}${signature[10] === 'A' ? 'B' : 'A'}${signature.slice(11)}`;
    registerSecret(flipped);
    const [first, ...rest] = sealed.seal({ ...payload, idToken: flipped });
    jar.values.set('spectrocloud-refresh-token', first);
    rest.forEach((piece, index) => jar.values.set(`spectrocloud-refresh-token-${index + 1}`, piece));

    const response = await refresh(fixture, jar);
    expect(response.status).toBe(401);
    expect(JSON.stringify(response.body)).toContain('The SpectroCloud session could not be verified; sign in again');
    expect(JSON.stringify(response.body)).not.toContain('backstageIdentity');
  });
});
