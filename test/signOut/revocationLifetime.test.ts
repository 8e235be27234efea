import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisCommand } from '../support/redisCommand';
import { startRedisServer, type RedisTestServer } from '../support/redisServer';
import { CLIENT_ID, CLIENT_SECRET, BACKEND_KINDS, logout, signIn, startFixture, type Fixture } from '../support/spectroFixture';

/*
 * A rule of the security core that a one-line break used to slip past: the
 * case here fails when its rule is removed by hand.
 */
const environment = (emulator: Fixture['emulator']) => ({
  clientId: CLIENT_ID,
  clientSecret: CLIENT_SECRET,
  authorizationUrl: emulator.authorizationUrl,
  signIn: { resolvers: [{ resolver: 'emailMatchingUserEntityProfileEmail' }] },
});

describe.each(BACKEND_KINDS)('a sign-out is kept as long as the session could otherwise live (Redis TTL, %s backend)', kind => {
  let redis: RedisTestServer;
  let fixture: Fixture;
  beforeAll(async () => {
    redis = await startRedisServer();
    fixture = await startFixture({
      kind,
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
