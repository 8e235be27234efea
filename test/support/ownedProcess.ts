import { type ChildProcess, spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { resolve as resolvePath } from 'node:path';

/**
 * Starts a program (redis-server, a proxy) that cannot outlive the test
 * process, whatever way that process ends.
 *
 * The program runs under a tiny `/bin/sh` guardian holding a pipe from us
 * (its stdin). When our side of the pipe closes (normal exit, crash,
 * SIGKILL of the vitest worker) the guardian reads EOF and SIGKILLs the
 * program. On a normal exit we also SIGKILL every program synchronously,
 * so nothing waits on the pipe.
 *
 * `pid` is the program's own pid, not the guardian's: freeze (SIGSTOP),
 * thaw (SIGCONT) and kill go straight to the program. `exited` settles
 * when the program has exited (the guardian waits for it, then exits).
 *
 * With `orphanDir`, the guardian also removes that temp dir in that case.
 *
 * Output (stdout + stderr) is kept as a bounded tail for error messages.
 */
export interface OwnedProcess {
  /** pid of the program itself */
  readonly pid: number;
  /** resolves with the program's exit code (128 + signal number when killed) */
  readonly exited: Promise<number>;
  readonly running: boolean;
  /** the last few KB of the program's stdout and stderr */
  output(): string;
  signal(signal: NodeJS.Signals): void;
  /** SIGKILL (works on a frozen program too) and wait for the exit. Safe to call twice. */
  kill(): Promise<void>;
}

const OUTPUT_TAIL_BYTES = 8_192;

// The guardian. $1 is a dir to remove if we vanish ('' for none), the rest the
// program and its arguments; fd 3 reports the program's pid.
const GUARDIAN = [
  'orphan_dir=$1',
  'shift',
  'exec 4<&0',
  '"$@" </dev/null 3>&- 4<&- &',
  'child=$!',
  'echo "$child" >&3',
  'exec 3>&-',
  '( while read -r _; do :; done <&4; kill -9 "$child" 2>/dev/null; [ -n "$orphan_dir" ] && rm -rf -- "$orphan_dir" ) &',
  'watcher=$!',
  'exec 4<&-',
  'wait "$child"',
  'code=$?',
  'kill "$watcher" 2>/dev/null',
  'exit "$code"',
].join('\n');

const owned = new Set<OwnedProcess>();

process.once('exit', () => {
  for (const program of owned) {
    try {
      process.kill(program.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

export interface SpawnOwnedOptions {
  cwd?: string;
  /**
   * A temp dir (under os.tmpdir()) the guardian removes if the test process
   * vanishes without cleaning up. Normal cleanup stays with the caller.
   */
  orphanDir?: string;
  /** Sees every chunk of stdout and stderr as it arrives (e.g. to read a "ready" line). */
  onOutput?: (chunk: string) => void;
}

export function spawnOwned(command: string, args: string[], options: SpawnOwnedOptions = {}): Promise<OwnedProcess> {
  const orphanDir = options.orphanDir ?? '';
  if (orphanDir && !resolvePath(orphanDir).startsWith(`${tmpdir()}/`)) {
    return Promise.reject(new Error(`orphanDir must be inside ${tmpdir()}, got ${orphanDir}`));
  }
  const guardian = spawn('/bin/sh', ['-c', GUARDIAN, 'guardian', orphanDir, command, ...args], {
    cwd: options.cwd,
    stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
  });
  let tail = '';
  const keep = (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    tail = (tail + text).slice(-OUTPUT_TAIL_BYTES);
    options.onOutput?.(text);
  };
  guardian.stdout!.on('data', keep);
  guardian.stderr!.on('data', keep);
  // Errors on the lifeline (EPIPE once the guardian is gone) mean nothing more.
  guardian.stdin!.on('error', () => undefined);

  return new Promise<OwnedProcess>((resolve, reject) => {
    let pidText = '';
    const pidChannel = guardian.stdio[3] as NodeJS.ReadableStream;
    guardian.once('error', reject);
    guardian.once('exit', code => reject(new Error(`${command} did not start (guardian exit ${code}): ${tail.trim()}`)));
    pidChannel.on('data', (chunk: Buffer) => {
      pidText += chunk.toString('utf8');
      if (!pidText.includes('\n')) return;
      guardian.removeListener('error', reject);
      guardian.removeAllListeners('exit');
      resolve(wrap(guardian, Number(pidText.trim()), () => tail));
    });
  });
}

function wrap(guardian: ChildProcess, pid: number, output: () => string): OwnedProcess {
  let running = true;
  const exited = new Promise<number>(resolve => {
    const settle = (code: number | null) => {
      running = false;
      owned.delete(program);
      guardian.stdin?.destroy();
      resolve(code ?? 128 + 9);
    };
    if (guardian.exitCode !== null || guardian.signalCode !== null) queueMicrotask(() => settle(guardian.exitCode));
    else guardian.once('exit', settle);
  });
  const program: OwnedProcess = {
    pid,
    exited,
    get running() {
      return running;
    },
    output,
    signal(signal) {
      if (!running) return;
      try {
        process.kill(pid, signal);
      } catch {
        // exited between the check and the signal
      }
    },
    async kill() {
      program.signal('SIGKILL');
      await exited;
    },
  };
  owned.add(program);
  return program;
}
