import { execFile } from 'node:child_process';
import { redisCommand, waitUntil } from './redisCommand';
import { getFreePort, type RedisTestServer, startRedisServer } from './redisServer';

/**
 * A Redis Cluster of `masters` masters and no replicas (a managed
 * cluster-mode cache in miniature): real `redis-server --cluster-enabled yes`
 * processes on free loopback ports, each with its cluster config file and
 * its own cluster bus port (`--cluster-port`, Redis 7) in its own temp dir,
 * joined by `redis-cli --cluster create ... --cluster-replicas 0 --cluster-yes`,
 * and ready once every node's CLUSTER INFO says `cluster_state:ok` with all
 * 16384 slots assigned and every node known.
 *
 * Clients connect as deployments do: `new Redis.Cluster(topology.startupNodes)`.
 * Each node is a RedisTestServer (freeze/thaw/kill/restart on the same
 * ports; a restarted node rejoins from its nodes.conf). With no replicas, a
 * node down for longer than the cluster node timeout (2 s here) puts the
 * cluster in `cluster_state:fail`.
 *
 * Start: about 2-3 s on an idle machine (redis-cli polls the join once per
 * second), up to 10 s on a loaded 2-core one.
 */
export interface RedisClusterTopology {
  nodes: RedisTestServer[];
  /** for `new Redis.Cluster(startupNodes)` */
  startupNodes: { host: string; port: number }[];
  /** The node whose slots hold `key` (by CLUSTER KEYSLOT and CLUSTER SLOTS). */
  nodeForKey(key: string): Promise<RedisTestServer>;
  /** Waits until every node reports `cluster_state:ok`, all slots assigned, all nodes known (e.g. after restarting one). */
  waitUntilOk(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export interface RedisClusterOptions {
  /** Default 3 (the fewest redis-cli accepts). */
  masters?: number;
  /** Passed to every node (see startRedisServer). */
  appendonly?: boolean;
}

export const REDIS_CLI = process.env.REDIS_CLI_BIN ?? '/usr/bin/redis-cli';
const NODE_TIMEOUT_MS = 2_000;
const CREATE_TIMEOUT_MS = 60_000;
const READY_TIMEOUT_MS = 30_000;
const NODE_START_ATTEMPTS = 3;

export async function startRedisCluster(options: RedisClusterOptions = {}): Promise<RedisClusterTopology> {
  const masters = options.masters ?? 3;
  if (masters < 3) throw new Error('a Redis Cluster needs at least 3 masters (redis-cli --cluster create refuses fewer)');
  const nodes: RedisTestServer[] = [];
  const close = async () => {
    await Promise.all(nodes.map(node => node.close()));
  };

  const waitUntilOk = async (timeoutMs = READY_TIMEOUT_MS) => {
    await waitUntil('every cluster node to report cluster_state:ok', timeoutMs, async () => {
      for (const node of nodes) {
        const info = await clusterInfo(node.port);
        if (info.cluster_state !== 'ok' || info.cluster_slots_assigned !== '16384' || info.cluster_known_nodes !== String(nodes.length)) return undefined;
      }
      return true;
    });
  };

  try {
    for (let i = 0; i < masters; i++) nodes.push(await startClusterNode(options.appendonly));
    await createCluster(nodes);
    await waitUntilOk();
  } catch (error) {
    await close();
    throw error;
  }

  return {
    nodes,
    startupNodes: nodes.map(node => ({ host: node.host, port: node.port })),
    async nodeForKey(key) {
      const slot = Number(await redisCommand(nodes[0]!.port, 'CLUSTER', 'KEYSLOT', key));
      const ranges = (await redisCommand(nodes[0]!.port, 'CLUSTER', 'SLOTS')) as [number, number, [string, number]][];
      const range = ranges.find(([from, to]) => slot >= from && slot <= to);
      const node = nodes.find(candidate => candidate.port === range?.[2][1]);
      if (!node) throw new Error(`no node of this cluster serves slot ${slot}`);
      return node;
    },
    waitUntilOk,
    close,
  };
}

/** One cluster-enabled node with its own bus port; another bus port if something took this one. */
async function startClusterNode(appendonly: boolean | undefined): Promise<RedisTestServer> {
  for (let attempt = 1; ; attempt++) {
    const busPort = await getFreePort();
    try {
      return await startRedisServer({
        appendonly,
        args: [
          '--cluster-enabled', 'yes',
          '--cluster-config-file', 'nodes.conf', // relative to the node's own dir
          '--cluster-port', String(busPort),
          '--cluster-node-timeout', String(NODE_TIMEOUT_MS),
        ],
      });
    } catch (error) {
      if (attempt >= NODE_START_ATTEMPTS || !/already in use/i.test(String(error))) throw error;
    }
  }
}

function createCluster(nodes: RedisTestServer[]): Promise<void> {
  const addresses = nodes.map(node => `${node.host}:${node.port}`);
  return new Promise((resolve, reject) => {
    execFile(
      REDIS_CLI,
      ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes'],
      { timeout: CREATE_TIMEOUT_MS, killSignal: 'SIGKILL', maxBuffer: 1024 * 1024 },
      (error, stdout, stderr) => {
        if (!error) return resolve();
        const output = `${stdout}${stderr}`.replace(/\u001b\[[0-9;]*m/g, '').trim().slice(-800);
        reject(new Error(`redis-cli --cluster create failed (${error.message.split('\n')[0]}): ${output}`));
      },
    );
  });
}

function clusterInfo(port: number): Promise<Record<string, string>> {
  return redisCommand(port, 'CLUSTER', 'INFO').then(text =>
    Object.fromEntries(
      String(text)
        .split('\r\n')
        .filter(line => line.includes(':'))
        .map(line => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1)]),
    ),
  );
}
