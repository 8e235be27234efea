import { randomBytes } from 'node:crypto';
import { ConfigReader } from '@backstage/config';
import type { JsonObject } from '@backstage/types';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpectroCloudConfigError } from '../../src/errors';
import { createPaletteTokenCache, type PaletteTokenCache } from '../../src/paletteTokens';
import { redisCommand } from '../support/redisCommand';
import { type RedisClusterTopology, startRedisCluster } from '../support/redisCluster';
import { registerSecret } from '../support/secrets';

const HOUR = 60 * 60 * 1000;
const USERS = 300;
const ENCRYPTION_KEY = randomBytes(32).toString('base64');
registerSecret(ENCRYPTION_KEY);

function paletteToken(n: number): string {
  const token = jwt.sign({ email: `user${n}@example.com` }, randomBytes(32), { algorithm: 'HS256', expiresIn: 3600 });
  registerSecret(token);
  return token;
}
const ref = (n: number) => `user:default/user${n}`;

const withRedis = (redis: JsonObject) =>
  new ConfigReader({ auth: { providers: { spectrocloud: { tokenStore: { type: 'redis', redis, encryptionKey: ENCRYPTION_KEY } } } } });

/** A 3-master Redis Cluster of real processes, configured as app-config would (cluster.nodes). */
describe('Redis token store on a Redis Cluster', () => {
  let topology: RedisClusterTopology;
  let cache: PaletteTokenCache;
  const tokens = new Map<number, string>();

  beforeAll(async () => {
    topology = await startRedisCluster({ masters: 3 });
    // One startup node is enough: ioredis discovers the others and the slot map.
    cache = createPaletteTokenCache(withRedis({ cluster: { nodes: topology.startupNodes.slice(0, 1) } }));
  }, 90_000);
  afterAll(async () => {
    await cache?.close();
    await topology?.close();
  });

  it('stores sessions on keys spread over the slots of all three masters', async () => {
    // 16 sign-ins in flight, as a busy backend would have them (not 300 at once on a loaded 2-core machine).
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        for (let n = next++; n < USERS; n = next++) {
          const token = paletteToken(n);
          await cache.remember({ userEntityRef: ref(n), email: `user${n}@example.com`, sessionToken: token, expiresAt: Date.now() + HOUR });
          tokens.set(n, token);
        }
      }),
    );
    const keysPerNode = await Promise.all(topology.nodes.map(async node => Number(await redisCommand(node.port, 'DBSIZE'))));
    // One entry and one e-mail pointer per user, every key on its own slot's master.
    expect(keysPerNode.reduce((a, b) => a + b, 0)).toBe(2 * USERS);
    for (const count of keysPerNode) expect(count).toBeGreaterThan(USERS / 3 / 2);
  });

  it('hands out every session by entity ref and by e-mail, whichever node holds it', async () => {
    const found = await Promise.all([...tokens.keys()].map(async n => (await cache.forUser(ref(n)))?.sessionToken === tokens.get(n)));
    expect(found.every(Boolean)).toBe(true);
    expect((await cache.forEmail('user123@example.com'))?.sessionToken === tokens.get(123)).toBe(true);
  });

  it('keeps no readable identifier or token in the cluster', async () => {
    const node = topology.nodes[0]!;
    const keys = (await redisCommand(node.port, 'KEYS', '*')) as string[];
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys.slice(0, 20)) {
      expect(key).toMatch(/^spectrocloud:session:[0-9a-f]{64}$/);
      const value = String(await redisCommand(node.port, 'GET', key));
      expect(value).toMatch(/^scv1\./);
      expect(value).not.toContain('user');
    }
  });

  it('signs a user out on every node it touched', async () => {
    await cache.forget({ userEntityRef: ref(5), email: 'user5@example.com' });
    expect(await cache.forUser(ref(5))).toBeUndefined();
    expect(await cache.forEmail('user5@example.com')).toBeUndefined();
    expect((await cache.forUser(ref(6)))?.sessionToken === tokens.get(6), 'the next user keeps their session').toBe(true);
  });

  it('refuses settings a cluster cannot honour, at startup', () => {
    const nodes = topology.startupNodes;
    expect(() => createPaletteTokenCache(withRedis({ cluster: { nodes }, db: 1 }))).toThrow(SpectroCloudConfigError);
    expect(() => createPaletteTokenCache(withRedis({ cluster: { nodes }, waitForReplicas: 1 }))).toThrow(/not supported with redis\.cluster/);
    expect(() => createPaletteTokenCache(withRedis({ cluster: { nodes }, url: 'redis://x:6379' }))).toThrow(/cannot be combined/);
  });
});
