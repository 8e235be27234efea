import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { spawnOwned } from '../support/ownedProcess';

const FIXTURE = fileURLToPath(new URL('./fixtures/startRedisThenDie.ts', import.meta.url));

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('spawnOwned', () => {
  it('reports the program pid, signals it directly and kill() waits for the exit', async () => {
    const program = await spawnOwned('sleep', ['600']);
    expect(isAlive(program.pid)).toBe(true);
    await program.freeze();
    expect(readFileSync(`/proc/${program.pid}/stat`, 'utf8')).toMatch(/\) T /);
    await program.thaw();
    expect(readFileSync(`/proc/${program.pid}/stat`, 'utf8')).not.toMatch(/\) T /);
    expect(program.running).toBe(true);
    await program.kill();
    expect(program.running).toBe(false);
    expect(isAlive(program.pid)).toBe(false);
    expect(await program.exited).toBe(128 + 9);
    await program.kill(); // twice is fine
  });

  it('refuses an orphanDir outside the temp dir', async () => {
    await expect(spawnOwned('true', [], { orphanDir: '/work' })).rejects.toThrow(/orphanDir must be inside/);
  });

  it('keeps the tail of the output and the exit code of a program that ends by itself', async () => {
    const program = await spawnOwned('/bin/sh', ['-c', 'echo out; echo err >&2; exit 3']);
    expect(await program.exited).toBe(3);
    expect(program.output()).toContain('out');
    expect(program.output()).toContain('err');
  });

  it('leaves no redis-server and no temp dir behind when the test process is SIGKILLed (no exit handler runs)', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', chunk => (stdout += String(chunk)));
    const signal = await new Promise(resolve => child.once('exit', (_code, sig) => resolve(sig)));
    expect(signal).toBe('SIGKILL');
    const started = JSON.parse(stdout.trim()) as { pid: number; port: number; dir: string };
    // The guardian sees its lifeline close and kills the server; bounded, not timed.
    await vi.waitFor(() => expect(isAlive(started.pid)).toBe(false), { timeout: 10_000, interval: 20 });
    expect(existsSync(`/proc/${started.pid}`)).toBe(false);
    await vi.waitFor(() => expect(existsSync(started.dir)).toBe(false), { timeout: 10_000, interval: 20 });
  });
});
