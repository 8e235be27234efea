// Figure 5: gzipped size of the ./frontend subpath, next to the seed plugin's
// published frontend bundle when the registry has it.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { build, type OnResolveArgs, type PluginBuild } from 'esbuild';
// @ts-expect-error plain .mjs script without declarations
import { browserBundleOptions, measureFrontendSize } from '../scripts/measure-frontend-size.mjs';

const run = promisify(execFile);
export const SEED_PACKAGE = '@terasky/backstage-plugin-spectrocloud-auth';

export interface SizeRow {
  name: string;
  rawBytes?: number;
  gzipBytes?: number;
  /** imports left out of the bundle besides the Backstage/React peers */
  otherExternal?: string[];
  error?: string;
}

export async function frontendSizeFigure(): Promise<SizeRow[]> {
  const ours = (await measureFrontendSize()) as { rawBytes: number; gzipBytes: number; peerImports: string[] };
  const rows: SizeRow[] = [{ name: 'ours: ./frontend (src/frontend/index.ts)', rawBytes: ours.rawBytes, gzipBytes: ours.gzipBytes, otherExternal: [] }];
  rows.push(await seedSize());
  for (const r of rows) {
    console.log(
      r.error
        ? `   ${r.name}: not measured (${r.error})`
        : `   ${r.name}: ${r.gzipBytes} B gzipped (${r.rawBytes} B minified)${r.otherExternal?.length ? `; left out: ${r.otherExternal.join(', ')}` : ''}`,
    );
  }
  return rows;
}

/** `npm pack` the seed plugin and bundle its ESM entry with the same esbuild settings. */
async function seedSize(): Promise<SizeRow> {
  const name = `seed: ${SEED_PACKAGE} (published dist ESM)`;
  const dir = await mkdtemp(join(tmpdir(), 'seed-size-'));
  try {
    try {
      await run('npm', ['pack', SEED_PACKAGE, '--loglevel=error', '--pack-destination', dir], { timeout: 60_000 });
    } catch (error) {
      const stderr = String((error as { stderr?: string }).stderr ?? (error as Error).message);
      const reason = /E404|404 Not Found/.test(stderr)
        ? 'the npm registry answers 404 Not Found for it'
        : (stderr.split('\n').find(l => l.trim() && !/Unknown (user|project) config/.test(l)) ?? (error as Error).message).slice(0, 160);
      return { name, error: `npm pack failed: ${reason}` };
    }
    const tarball = (await readdir(dir)).find(f => f.endsWith('.tgz'));
    if (!tarball) return { name, error: 'npm pack produced no tarball' };
    await run('tar', ['xzf', join(dir, tarball), '-C', dir]);
    const pkg = JSON.parse(await readFile(join(dir, 'package', 'package.json'), 'utf8')) as { module?: string; main?: string };
    const entry = pkg.module ?? pkg.main;
    if (!entry) return { name, error: 'its package.json names no module or main entry' };
    // Its own dependencies are not installed here: leave every bare import out
    // and list the non-peer ones, so its figure is a lower bound.
    const otherExternal = new Set<string>();
    const result = await build({
      ...browserBundleOptions,
      write: false,
      entryPoints: [join(dir, 'package', entry)],
      plugins: [
        {
          name: 'bare-imports-external',
          setup(b: PluginBuild) {
            b.onResolve({ filter: /^[^./]/ }, (args: OnResolveArgs) => {
              otherExternal.add(args.path.startsWith('@') ? args.path.split('/').slice(0, 2).join('/') : args.path.split('/')[0]);
              return { path: args.path, external: true };
            });
          },
        },
      ],
    });
    const code = result.outputFiles![0].contents;
    const peers = (p: string) => /^@backstage\/|^react(-dom)?$|^react-router-dom$/.test(p);
    return { name, rawBytes: code.byteLength, gzipBytes: gzipSync(code, { level: 9 }).byteLength, otherExternal: [...otherExternal].filter(p => !peers(p)).sort() };
  } catch (error) {
    return { name, error: (error as Error).message.split('\n')[0] };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
