import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import net from 'node:net';
import { type OwnedProcess, spawnOwned } from './ownedProcess';
import { createTempDir, removeTempDir, trackTempDir } from './tempDir';

/**
 * A real, throw-away redis-server for tests: loopback only, on a free port,
 * in its own temp dir (removed by stop()/close()), owned by the test process
 * (see ownedProcess.ts: no orphan survives even a killed vitest worker).
 *
 * Faults on the same port:
 * - freeze() / thaw(): SIGSTOP / SIGCONT. Connections stay open, nothing answers.
 * - kill(): SIGKILL; the port stays closed (ECONNREFUSED) until restart().
 * - restart(): kills it if running, starts it again on the same port and dir.
 * - stop() / close(): kill and remove the temp dir (restart() still works after it, empty).
 *
 * Data across kill()/restart(): by default nothing is persisted, so a
 * restarted server starts EMPTY (what a Redis without persistence does).
 * With `{ appendonly: true }` every acknowledged write is in an append-only
 * file in the temp dir (Redis writes it before replying), so a restarted
 * server keeps the data even after SIGKILL.
 *
 * Start time: tens of ms on an idle machine; 0.45 s measured on a 2-core
 * machine at load average 20.
 */
export interface RedisTestServer {
  url: string;
  host: string;
  port: number;
  /** pid of the current redis-server (changes on restart) */
  readonly pid: number;
  /** the temp dir holding its files (AOF, cluster nodes.conf) */
  dir: string;
  /** Kills the server, waits for it to exit and removes its temp dir (so no data survives). Safe to call twice; restart() may follow. */
  stop(): Promise<void>;
  /** Same as stop(). */
  close(): Promise<void>;
  /** Kills it (if running) and starts it again on the same port and dir; see the header for what data survives. */
  restart(): Promise<void>;
  /** SIGSTOP, resolved once the process is stopped: the port still accepts connections (kernel backlog) but nothing answers. */
  freeze(): Promise<void>;
  /** SIGCONT after freeze(), resolved once it runs again. No-op if not frozen. */
  thaw(): Promise<void>;
  /** SIGKILL and wait for the exit; nothing listens on the port until restart(). */
  kill(): Promise<void>;
}

export interface RedisServerOptions {
  /** Keep data across kill()/restart() with an append-only file. Default false. */
  appendonly?: boolean;
  /** Further redis-server arguments, e.g. ['--replicaof', '127.0.0.1', '6379']. */
  args?: string[];
}

export const REDIS_SERVER = process.env.REDIS_SERVER_BIN ?? '/usr/bin/redis-server';
const START_ATTEMPTS = 3;
const START_DEADLINE_MS = 10_000;

export function assertRedisInstalled(): void {
  if (!existsSync(REDIS_SERVER)) {
    throw new Error(
      `redis-server not found at ${REDIS_SERVER}. Install it with: apt-get install -y redis-server (or set REDIS_SERVER_BIN)`,
    );
  }
}

export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisTestServer> {
  assertRedisInstalled();
  const dir = await createTempDir('redis-test');
  const argsFor = (port: number) => [
    '--port', String(port),
    '--bind', '127.0.0.1',
    '--dir', dir,
    '--save', '',
    '--appendonly', options.appendonly ? 'yes' : 'no',
    '--loglevel', 'warning',
    ...(options.args ?? []),
  ];
  let started: { port: number; program: OwnedProcess };
  try {
    started = await launchOnFreePort(argsFor, dir);
  } catch (error) {
    await removeTempDir(dir);
    throw error;
  }
  const { port } = started;
  let current: OwnedProcess = started.program;
  const stop = async () => {
    await current.kill();
    await removeTempDir(dir);
  };
  return {
    url: `redis://127.0.0.1:${port}`,
    host: '127.0.0.1',
    port,
    get pid() {
      return current.pid;
    },
    dir,
    stop,
    close: stop,
    async restart() {
      await current.kill();
      await mkdir(dir, { recursive: true }); // stop() removed it
      trackTempDir(dir);
      current = await launchRedis(port, argsFor(port), dir);
    },
    freeze: () => current.freeze(),
    thaw: () => current.thaw(),
    kill: () => current.kill(),
  };
}

/**
 * A port nothing listens on now, for a server a test starts a moment later.
 * Picked below the OS's ephemeral range (Linux: 32768-60999), which every
 * outgoing connection takes its local port from: a port there found free can
 * be taken by a client socket of a busy machine (CI's side jobs) before the
 * server binds it (EADDRINUSE). Checked by listening on it; ports handed out
 * in this worker are not handed out again (one test may pick several before
 * any is bound).
 */
const handedOut = new Set<number>();
const LOW = 20_000;
const HIGH = 32_000; // +10000 (a Redis cluster node's bus port) stays below 65536
export async function getFreePort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = LOW + Math.floor(Math.random() * (HIGH - LOW));
    if (handedOut.has(port) || !(await isFree(port))) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error(`getFreePort: found no free port between ${LOW} and ${HIGH}`);
}

function isFree(port: number): Promise<boolean> {
  return new Promise(resolve => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * Starts redis-server on a free port, taking another one if something else
 * took it before redis-server could bind it. `argsFor` builds the arguments
 * for a given port (and may write a config file for it).
 */
export async function launchOnFreePort(
  argsFor: (port: number) => string[] | Promise<string[]>,
  orphanDir?: string,
): Promise<{ port: number; program: OwnedProcess }> {
  for (let attempt = 1; ; attempt++) {
    const port = await getFreePort();
    try {
      return { port, program: await launchRedis(port, await argsFor(port), orphanDir) };
    } catch (error) {
      if (attempt >= START_ATTEMPTS || !/already in use/i.test(String(error))) throw error;
    }
  }
}

/**
 * Starts redis-server (or a sentinel: pass `[confFile, '--sentinel']`) and
 * waits until it answers PING on `port`.
 */
export async function launchRedis(port: number, args: string[], orphanDir?: string): Promise<OwnedProcess> {
  const program = await spawnOwned(REDIS_SERVER, args, { orphanDir });
  const exited = program.exited.then(code => {
    throw new Error(`redis-server on port ${port} exited early (code ${code}): ${program.output().trim().slice(-500)}`);
  });
  exited.catch(() => undefined); // only observed through the race below
  const deadline = Date.now() + START_DEADLINE_MS;
  for (;;) {
    const answered = await Promise.race([ping(port), exited]);
    if (answered) return program;
    if (Date.now() > deadline) {
      await program.kill();
      throw new Error(`redis-server on port ${port} did not answer PING within ${START_DEADLINE_MS / 1000}s`);
    }
    await new Promise(r => setTimeout(r, 25));
  }
}

/** true when a Redis on 127.0.0.1:port answers PING within a second. */
export function ping(port: number): Promise<boolean> {
  return new Promise(resolve => {
    const socket = net.connect(port, '127.0.0.1');
    let reply = '';
    socket.setTimeout(1_000, () => socket.destroy());
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', chunk => {
      reply += String(chunk);
      if (reply.includes('\r\n')) socket.end();
    });
    socket.once('error', () => undefined);
    socket.once('close', () => resolve(reply.startsWith('+PONG')));
  });
}
