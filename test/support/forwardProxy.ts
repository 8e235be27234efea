import { fileURLToPath } from 'node:url';
import { type OwnedProcess, spawnOwned } from './ownedProcess';

/**
 * A real HTTP forwarding proxy in its own process, as corporate networks
 * run one: CONNECT tunnels (https) and absolute-URI requests (plain http),
 * by the `proxy` package (TooTallNate's). It counts what it carried per
 * target `host:port`, so a test can prove a request went through it (or, with
 * NO_PROXY, that it did not).
 *
 * Use `proxy.url` as HTTPS_PROXY / HTTP_PROXY or a per-provider proxy
 * setting. Starts in about 100-300 ms (a plain node process, no TS loader).
 * The process is owned by the test process (killed by close(), and by its
 * guardian if the test process dies); it writes no files.
 */
export interface ProxyTargetCount {
  /** CONNECT tunnels opened to this target (one per https connection, not per request) */
  connect: number;
  /** absolute-URI requests forwarded to this target (plain http) */
  http: number;
}

export interface ForwardProxy {
  /** http://127.0.0.1:PORT */
  url: string;
  port: number;
  /** Counts per target `host:port` (e.g. `127.0.0.1:8443`) since the start or the last resetCounts(); counted on arrival, whether or not the target answered. */
  counts(): Promise<Record<string, ProxyTargetCount>>;
  /** The count for one target, zero if it never went through the proxy. */
  countFor(target: string): Promise<ProxyTargetCount>;
  resetCounts(): Promise<void>;
  close(): Promise<void>;
}

const PROCESS_SCRIPT = fileURLToPath(new URL('./forwardProxyProcess.mjs', import.meta.url));
const START_DEADLINE_MS = 15_000;
const STATS_DEADLINE_MS = 5_000;

export async function startForwardProxy(): Promise<ForwardProxy> {
  let output = '';
  let onReady: (() => void) | undefined;
  const program = await spawnOwned(process.execPath, [PROCESS_SCRIPT], {
    onOutput: chunk => {
      output += chunk;
      if (output.includes('\n')) onReady?.();
    },
  });
  const ports = await readyLine(program, () => output, listener => (onReady = listener));
  const url = `http://127.0.0.1:${ports.proxyPort}`;
  const stats = `http://127.0.0.1:${ports.statsPort}`;

  const counts = async () => {
    const response = await fetch(`${stats}/stats`, { signal: AbortSignal.timeout(STATS_DEADLINE_MS) });
    return ((await response.json()) as { targets: Record<string, ProxyTargetCount> }).targets;
  };
  return {
    url,
    port: ports.proxyPort,
    counts,
    countFor: async target => (await counts())[target] ?? { connect: 0, http: 0 },
    async resetCounts() {
      const response = await fetch(`${stats}/reset`, { method: 'POST', signal: AbortSignal.timeout(STATS_DEADLINE_MS) });
      await response.arrayBuffer();
    },
    close: () => program.kill(),
  };
}

/** Waits for the child's `{"proxyPort":N,"statsPort":M}` line, its early exit, or the deadline. */
async function readyLine(
  program: OwnedProcess,
  output: () => string,
  setListener: (listener: () => void) => void,
): Promise<{ proxyPort: number; statsPort: number }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      new Promise<void>(resolve => (output().includes('\n') ? resolve() : setListener(resolve))),
      program.exited.then(code => {
        throw new Error(`forward proxy exited during start (code ${code}): ${program.output().trim().slice(-500)}`);
      }),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`forward proxy did not start within ${START_DEADLINE_MS / 1000}s`)), START_DEADLINE_MS);
      }),
    ]);
    return JSON.parse(output().split('\n')[0]!) as { proxyPort: number; statsPort: number };
  } catch (error) {
    await program.kill();
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
