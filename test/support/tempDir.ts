import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Temp dirs for test helpers (Redis data, sentinel configs, CA files).
 * Each is removed by removeTempDir(), and any still present when the test
 * process exits is removed then, so a failing test leaves nothing behind.
 */
const live = new Set<string>();

process.once('exit', () => {
  for (const dir of live) rmSync(dir, { recursive: true, force: true });
});

export async function createTempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `${prefix}-`));
  live.add(dir);
  return dir;
}

export async function removeTempDir(dir: string): Promise<void> {
  live.delete(dir);
  await rm(dir, { recursive: true, force: true });
}

/** For a dir removed and created again (a restarted server): make it count as live again. */
export function trackTempDir(dir: string): void {
  live.add(dir);
}
