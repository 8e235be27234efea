import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { OwnedProcess } from './ownedProcess';
import { redisCommand, redisInfo, waitUntil } from './redisCommand';
import { launchOnFreePort, ping, type RedisTestServer, startRedisServer } from './redisServer';
import { createTempDir, removeTempDir } from './tempDir';

/**
 * Redis behind Sentinel, as deployments run it for failover: one master,
 * `replicas` replicas (`--replicaof`) and `sentinels` sentinels
 * (`redis-server <conf> --sentinel`, each with its own writable config file
 * in a temp dir), all real processes on free loopback ports, owned by the
 * test process (see ownedProcess.ts).
 *
 * Sentinel settings for fast tests: quorum 2 (or 1 with a single sentinel),
 * down-after-milliseconds 1000, failover-timeout 5000. Nodes use diskless
 * replication without delay, so a replica syncs at once.
 *
 * Clients connect as deployments do, through the sentinels:
 *   new Redis({ sentinels: topology.sentinels, name: topology.name })
 *
 * failover() kills (or freezes) the current master and resolves once every
 * sentinel names the new master and that node reports role master. Writes
 * acknowledged by `WAIT 1 <ms>` (on the replica) survive it.
 *
 * Start: about 2-3 s (sentinels find each other through hello messages sent
 * every 2 s). failover(): about 3-6 s on an idle machine (1 s to mark the
 * master down, agreement, election, promotion); allow 30 s on a loaded one.
 */
export interface RedisSentinelTopology {
  /** the monitored master's name, for `new Redis({ sentinels, name })` */
  name: string;
  sentinels: { host: string; port: number }[];
  /** the data nodes: [initial master, ...replicas]; roles change after failover() */
  nodes: RedisTestServer[];
  /** The master the sentinels name right now. */
  master(): Promise<{ host: string; port: number }>;
  /** The data node that is master right now (by the sentinels). */
  masterNode(): Promise<RedisTestServer>;
  /**
   * Takes the current master down (`kill`: SIGKILL, the default; `freeze`:
   * SIGSTOP, thaw or restart it later through `nodes`) and waits until the
   * sentinels have promoted a replica. Returns the new master's address.
   */
  failover(options?: { how?: 'kill' | 'freeze'; timeoutMs?: number }): Promise<{ host: string; port: number }>;
  /**
   * Brings a node taken down by failover() (killed or frozen) back as a
   * replica of the current master: thaws or restarts it, sends REPLICAOF,
   * waits for the sync, then has the sentinels forget and re-discover the
   * topology (SENTINEL RESET) so the next failover() can use it. About 3-8 s;
   * left to the sentinels alone this takes 10-25 s (their INFO round every
   * 10 s plus an 8 s settling time).
   */
  rejoin(node: RedisTestServer): Promise<void>;
  close(): Promise<void>;
}

export interface RedisSentinelOptions {
  /** replicas of the master; at least 1 to fail over. Default 1. */
  replicas?: number;
  /** sentinel processes. Default 3. */
  sentinels?: number;
  /** master name. Default 'testmaster'. */
  name?: string;
  /** Passed to every data node (see startRedisServer). */
  appendonly?: boolean;
}

const DOWN_AFTER_MS = 1_000;
const FAILOVER_TIMEOUT_MS = 5_000;
const START_TIMEOUT_MS = 30_000;
const DEFAULT_FAILOVER_WAIT_MS = 30_000;
// Diskless sync without the default 5 s wait for more replicas.
const FAST_REPLICATION = ['--repl-diskless-sync', 'yes', '--repl-diskless-sync-delay', '0'];

export async function startRedisSentinel(options: RedisSentinelOptions = {}): Promise<RedisSentinelTopology> {
  const replicaCount = options.replicas ?? 1;
  const sentinelCount = options.sentinels ?? 3;
  const name = options.name ?? 'testmaster';
  const quorum = Math.min(2, sentinelCount);
  const nodes: RedisTestServer[] = [];
  const sentinelProcesses: OwnedProcess[] = [];
  const sentinels: { host: string; port: number }[] = [];
  const dir = await createTempDir('redis-sentinel');

  const close = async () => {
    await Promise.all(sentinelProcesses.map(sentinel => sentinel.kill()));
    await Promise.all(nodes.map(node => node.close()));
    await removeTempDir(dir);
  };

  // Every sentinel knows all replicas and all other sentinels: a failover can happen.
  const sentinelsAgree = () =>
    waitUntil('sentinels to see the replicas and each other', START_TIMEOUT_MS, async () => {
      for (const sentinel of sentinels) {
        const state = await sentinelMasterState(sentinel.port, name);
        if (state['num-slaves'] !== String(replicaCount) || state['num-other-sentinels'] !== String(sentinelCount - 1)) return undefined;
      }
      return true;
    });

  try {
    const master = await startRedisServer({ appendonly: options.appendonly, args: FAST_REPLICATION });
    nodes.push(master);
    for (let i = 0; i < replicaCount; i++) {
      nodes.push(
        await startRedisServer({
          appendonly: options.appendonly,
          args: [...FAST_REPLICATION, '--replicaof', '127.0.0.1', String(master.port)],
        }),
      );
    }
    // Sentinels learn replicas from the master's INFO when they connect: let them sync first.
    await waitUntil('replicas to sync with the master', START_TIMEOUT_MS, async () => {
      const info = await redisInfo(master.port, 'replication');
      const online = Object.entries(info).filter(([key, value]) => /^slave\d+$/.test(key) && value.includes('state=online'));
      return online.length === replicaCount ? true : undefined;
    });

    for (let i = 0; i < sentinelCount; i++) {
      const conf = join(dir, `sentinel-${i}.conf`);
      const { port, program } = await launchOnFreePort(async port => {
        await writeFile(conf, sentinelConfig({ port, dir, name, masterPort: master.port, quorum }));
        return [conf, '--sentinel', '--loglevel', 'warning'];
      }, dir);
      sentinelProcesses.push(program);
      sentinels.push({ host: '127.0.0.1', port });
    }
    await sentinelsAgree();
  } catch (error) {
    await close();
    throw error;
  }

  const master = async () => {
    const [host, port] = (await redisCommand(sentinels[0]!.port, 'SENTINEL', 'GET-MASTER-ADDR-BY-NAME', name)) as [string, string];
    return { host, port: Number(port) };
  };
  const masterNode = async () => {
    const { port } = await master();
    const node = nodes.find(candidate => candidate.port === port);
    if (!node) throw new Error(`sentinels name a master on port ${port} that this topology did not start`);
    return node;
  };

  return {
    name,
    sentinels,
    nodes,
    master,
    masterNode,
    async failover({ how = 'kill', timeoutMs = DEFAULT_FAILOVER_WAIT_MS } = {}) {
      const old = await masterNode();
      if (how === 'kill') await old.kill();
      else old.freeze();
      return waitUntil(`sentinels to promote a new master after ${how === 'kill' ? 'killing' : 'freezing'} port ${old.port}`, timeoutMs, async () => {
        const named = new Set<number>();
        for (const sentinel of sentinels) {
          const [, port] = (await redisCommand(sentinel.port, 'SENTINEL', 'GET-MASTER-ADDR-BY-NAME', name)) as [string, string];
          named.add(Number(port));
        }
        const [port] = [...named];
        if (named.size !== 1 || port === old.port) return undefined;
        const role = (await redisCommand(port!, 'ROLE')) as [string];
        return role[0] === 'master' ? { host: '127.0.0.1', port: port! } : undefined;
      });
    },
    async rejoin(node) {
      const current = await master();
      if (node.port === current.port) throw new Error(`port ${node.port} is the master; rejoin() takes a node failover() took down`);
      node.thaw(); // no-op unless frozen
      if (!(await ping(node.port))) await node.restart();
      await redisCommand(node.port, 'REPLICAOF', current.host, current.port);
      await waitUntil(`port ${node.port} to sync with the master on port ${current.port}`, START_TIMEOUT_MS, async () => {
        const info = await redisInfo(node.port, 'replication');
        return info.master_link_status === 'up' && Number(info.master_port) === current.port ? true : undefined;
      });
      for (const sentinel of sentinels) await redisCommand(sentinel.port, 'SENTINEL', 'RESET', name);
      await sentinelsAgree();
    },
    close,
  };
}

function sentinelConfig(c: { port: number; dir: string; name: string; masterPort: number; quorum: number }): string {
  return [
    `port ${c.port}`,
    'bind 127.0.0.1',
    `dir ${c.dir}`,
    `sentinel monitor ${c.name} 127.0.0.1 ${c.masterPort} ${c.quorum}`,
    `sentinel down-after-milliseconds ${c.name} ${DOWN_AFTER_MS}`,
    `sentinel failover-timeout ${c.name} ${FAILOVER_TIMEOUT_MS}`,
    `sentinel parallel-syncs ${c.name} 1`,
    '',
  ].join('\n');
}

/** `SENTINEL MASTER <name>` as a map. */
async function sentinelMasterState(port: number, name: string): Promise<Record<string, string>> {
  return toMap((await redisCommand(port, 'SENTINEL', 'MASTER', name)) as string[]);
}

/** Sentinel's flat [key, value, key, value, ...] replies as a map. */
function toMap(flat: string[]): Record<string, string> {
  const map: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) map[flat[i]!] = flat[i + 1]!;
  return map;
}
