import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/*
 * The import-graph check `pnpm test` runs before vitest (`pnpm check:imports`, .dependency-cruiser.cjs),
 * run here the same way on small fixtures that break each rule, and on src/.
 */
const ROOT = join(__dirname, '../..');
const DEPCRUISE = join(ROOT, 'node_modules/.bin/depcruise');

/** Runs the check as `pnpm test` does (its `err` output sets the exit code) and reads back each violation. */
async function check(path: string): Promise<{ exitCode: number; violations: { rule: string; from: string; path: string[] }[] }> {
  const args = [path, '--config', '.dependency-cruiser.cjs', '--output-type', 'err'];
  let exitCode = 0;
  let output: string;
  try {
    output = (await promisify(execFile)(DEPCRUISE, args, { cwd: ROOT })).stdout;
  } catch (error) {
    ({ code: exitCode, stdout: output } = error as { code: number; stdout: string });
  }
  // "  error no-circular: a.ts → \n      b.ts →\n      a.ts", "  error no-own-name-import: a.ts → src/index.ts"
  const violations = output
    .split(/^ {2}error /m)
    .slice(1)
    .map(block => {
      const [rule, steps] = [block.slice(0, block.indexOf(':')), block.slice(block.indexOf(':') + 1).split(/\n\s*\n/)[0]];
      const [from, ...path] = steps.split('→').map(step => step.trim());
      return { rule, from, path };
    });
  return { exitCode, violations };
}

describe('the import-graph check', () => {
  it('fails on a cycle closed by type-only imports', async () => {
    const { exitCode, violations } = await check('test/package/fixtures/importCycle');
    expect(exitCode).not.toBe(0);
    expect(violations).toEqual([
      {
        rule: 'no-circular',
        from: 'test/package/fixtures/importCycle/metrics.ts',
        path: ['test/package/fixtures/importCycle/store.ts', 'test/package/fixtures/importCycle/metrics.ts'],
      },
    ]);
  });

  it('fails on an import of the package by its own name', async () => {
    const { exitCode, violations } = await check('test/package/fixtures/ownNameImport');
    expect(exitCode).not.toBe(0);
    // The fixture's own violation (the check follows the import into src/, which the last test covers).
    expect(violations.filter(v => v.from.startsWith('test/'))).toEqual([{ rule: 'no-own-name-import', from: 'test/package/fixtures/ownNameImport/store.ts', path: ['src/index.ts'] }]);
  });

  it('passes on src/', async () => {
    const { exitCode, violations } = await check('src');
    expect(violations).toEqual([]);
    expect(exitCode).toBe(0);
  });
});
