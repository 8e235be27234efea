import Redis, { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisCommand } from '../support/redisCommand';
import { type RedisClusterTopology, startRedisCluster } from '../support/redisCluster';

describe('startRedisCluster', () => {
  let topology: RedisClusterTopology;
  let cluster: Cluster;
  const KEYS = 300;

  beforeAll(async () => {
    topology = await startRedisCluster({ masters: 3 });
    cluster = new Redis.Cluster(topology.startupNodes, {
      redisOptions: { connectTimeout: 2_000, commandTimeout: 5_000 },
      clusterRetryStrategy: () => 100,
    });
    cluster.on('error', () => undefined);
  }, 90_000);
  afterAll(async () => {
    cluster?.disconnect();
    await topology?.close();
  });

  it('joins three masters that share all 16384 slots', async () => {
    expect(topology.nodes).toHaveLength(3);
    const ranges = (await redisCommand(topology.nodes[0]!.port, 'CLUSTER', 'SLOTS')) as [number, number, [string, number]][];
    expect(ranges).toHaveLength(3);
    expect(ranges.reduce((sum, [from, to]) => sum + to - from + 1, 0)).toBe(16384);
    expect(new Set(ranges.map(range => range[2][1]))).toEqual(new Set(topology.nodes.map(node => node.port)));
    for (const node of topology.nodes) {
      expect(String(await redisCommand(node.port, 'CLUSTER', 'INFO'))).toContain('cluster_state:ok');
      expect(((await redisCommand(node.port, 'ROLE')) as unknown[])[0]).toBe('master');
    }
  });

  it('serves ioredis Cluster with keys spread over the slots of all three masters', async () => {
    for (let i = 0; i < KEYS; i++) await cluster.set(`session:${i}`, `token-${i}`);
    const values = await Promise.all(Array.from({ length: KEYS }, (_, i) => cluster.get(`session:${i}`)));
    expect(values).toEqual(Array.from({ length: KEYS }, (_, i) => `token-${i}`));

    const perNode = await Promise.all(topology.nodes.map(async node => Number(await redisCommand(node.port, 'DBSIZE'))));
    expect(perNode.reduce((a, b) => a + b, 0)).toBe(KEYS);
    for (const count of perNode) expect(count).toBeGreaterThan(KEYS / 6); // about a third each

    const owner = await topology.nodeForKey('session:7');
    expect(await redisCommand(owner.port, 'GET', 'session:7')).toBe('token-7');
  });

  it('a restarted node rejoins from its nodes.conf and the cluster is ok again', async () => {
    const [node] = topology.nodes;
    await node!.restart();
    await topology.waitUntilOk();
    await cluster.set('after-restart', 'yes');
    expect(await cluster.get('after-restart')).toBe('yes');
  }, 60_000);
});
