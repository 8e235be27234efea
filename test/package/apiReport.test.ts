import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';

/**
 * `scripts/api-report.mjs`'s rule for a type an entry's API names but does not export (the main entry's
 * provider options name `.../palette-tokens`' `PaletteTokenCache`): accepted only when another entry
 * exports that very declaration, and then shown as an import from that entry. Run on a fixture package
 * of built declarations: `.` names `./a`'s `Shared`, `./b` names `Hidden`, which no entry exports.
 */
const root = join(__dirname, '..', '..');
const fixture = join(__dirname, 'fixtures', 'apiReport');
const run = promisify(execFile);
let copy: string | undefined;

async function report(change?: (dir: string) => void) {
  copy = mkdtempSync(join(tmpdir(), 'api-report-fixture-'));
  cpSync(fixture, copy, { recursive: true });
  change?.(copy);
  const result = await run(process.execPath, [join(root, 'scripts', 'api-report.mjs'), '--root', copy]).then(
    ({ stdout, stderr }) => ({ exitCode: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ exitCode: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
  const read = (entry: string) => readFileSync(join(copy!, 'api-reports', entry, 'report.api.md'), 'utf8').replace(/\r\n/g, '\n');
  return { ...result, read };
}

afterEach(() => {
  if (copy) rmSync(copy, { recursive: true, force: true });
  copy = undefined;
});

describe('the API report of an entry that names another entry’s type', () => {
  it('imports the type from the entry that exports the same declaration, and fails naming a type no entry exports', async () => {
    const { exitCode, stderr, read } = await report();
    const main = read('main');
    expect(main).toContain("import { Shared } from 'api-report-fixture/a';");
    expect(main).toContain('export function useShared(shared: Shared): void;');
    expect(main).not.toContain('ae-forgotten-export');
    expect(exitCode).toBe(1);
    expect(stderr).toContain('api-report: "b" uses types no entry exports (Hidden)');
    expect(stderr).not.toContain('"main" uses types');
  }, 60_000);

  it('fails when the other entry exports another declaration of the same name', async () => {
    const { exitCode, stderr } = await report(dir =>
      writeFileSync(join(dir, 'types', 'a', 'index.d.ts'), '/** A look-alike. @public */\nexport interface Shared {\n    value: string;\n}\n'),
    );
    expect(exitCode).toBe(1);
    expect(stderr).toContain('api-report: "main" uses types no entry exports (Shared)');
  }, 60_000);
});
