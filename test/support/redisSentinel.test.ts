import Redis from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisCommand } from '../support/redisCommand';
import { type RedisSentinelTopology, startRedisSentinel } from '../support/redisSentinel';
import type { RedisTestServer } from '../support/redisServer';

/**
 * One topology for the file (start-up is the slow part); the tests run in
 * order: before the failover, the failover itself, after it.
 */
describe('startRedisSentinel', () => {
  let topology: RedisSentinelTopology;
  let client: Redis;
  const clients: Redis[] = [];

  function sentinelClient() {
    const created = new Redis({
      sentinels: topology.sentinels,
      name: topology.name,
      connectTimeout: 2_000,
      commandTimeout: 5_000,
      maxRetriesPerRequest: 20,
      sentinelRetryStrategy: () => 100,
      retryStrategy: () => 100,
    });
    created.on('error', () => undefined); // reconnects during the failover are expected
    clients.push(created);
    return created;
  }
  let firstMasterPort: number;
  const KEYS = 200;

  beforeAll(async () => {
    topology = await startRedisSentinel({ replicas: 1, sentinels: 3 });
    client = sentinelClient();
  }, 90_000);
  afterAll(async () => {
    for (const each of clients) each.disconnect();
    await topology?.close();
  });

  it('starts a master, a replica and three sentinels that agree on the master', async () => {
    expect(topology.sentinels).toHaveLength(3);
    expect(topology.nodes).toHaveLength(2);
    const master = await topology.master();
    expect(master).toEqual({ host: '127.0.0.1', port: topology.nodes[0]!.port });
    firstMasterPort = master.port;
    expect(((await redisCommand(topology.nodes[1]!.port, 'ROLE')) as unknown[])[0]).toBe('slave');
  });

  it('serves ioredis through the sentinels; writes acknowledged by WAIT survive a failover', async () => {
    for (let i = 0; i < KEYS; i++) await client.set(`session:${i}`, `token-${i}`);
    expect(await client.call('WAIT', 1, 1000)).toBe(1); // the replica has every write

    const newMaster = await topology.failover();
    expect(newMaster.port).not.toBe(firstMasterPort);
    expect(newMaster.port).toBe(topology.nodes[1]!.port);
    expect((await topology.masterNode()).port).toBe(newMaster.port);

    const values = await Promise.all(Array.from({ length: KEYS }, (_, i) => client.get(`session:${i}`)));
    expect(values).toEqual(Array.from({ length: KEYS }, (_, i) => `token-${i}`));
    // ioredis asked the sentinels and follows the new master for writes too.
    await client.set('after-failover', 'yes');
    expect(await redisCommand(newMaster.port, 'GET', 'after-failover')).toBe('yes');
  }, 60_000);

  it('rejoin() brings the killed master back as a replica; a freeze then fails over back to it', async () => {
    const [oldMaster, currentMaster] = topology.nodes as [RedisTestServer, RedisTestServer];
    await topology.rejoin(oldMaster);
    expect(((await redisCommand(oldMaster.port, 'ROLE')) as unknown[])[0]).toBe('slave');
    expect(await redisCommand(oldMaster.port, 'GET', `session:${KEYS - 1}`)).toBe(`token-${KEYS - 1}`); // synced
    await client.set('before-freeze', 'kept');
    expect(await client.call('WAIT', 1, 1000)).toBe(1);

    const back = await topology.failover({ how: 'freeze' });
    expect(back.port).toBe(oldMaster.port);
    // The first client still holds its connection to the frozen master (open, silent): a new one asks the sentinels.
    const fresh = sentinelClient();
    expect(await fresh.get('before-freeze')).toBe('kept');
    expect(await fresh.get(`session:${KEYS - 1}`)).toBe(`token-${KEYS - 1}`);

    await topology.rejoin(currentMaster); // thawed and demoted
    expect(((await redisCommand(currentMaster.port, 'ROLE')) as unknown[])[0]).toBe('slave');
    await fresh.set('after-rejoin', 'replicated');
    expect(await fresh.call('WAIT', 1, 1000)).toBe(1);
    expect(await redisCommand(currentMaster.port, 'GET', 'after-rejoin')).toBe('replicated');
  }, 90_000);
});
