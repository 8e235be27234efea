import { copyFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));

/** Bundles the app page (React and Backstage included: this page is the app). */
export async function buildExampleApp(options: { backendUrl: string }): Promise<{ outdir: string }> {
  const outdir = await mkdtemp(join(tmpdir(), 'spectrocloud-example-app-'));
  await build({
    entryPoints: [join(here, 'main.ts')],
    outfile: join(outdir, 'main.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    define: {
      'process.env.NODE_ENV': '"production"',
      global: 'globalThis',
      EXAMPLE_BACKEND_URL: JSON.stringify(options.backendUrl),
    },
    loader: { '.svg': 'file', '.png': 'file' },
    logLevel: 'warning',
  });
  await copyFile(join(here, 'index.html'), join(outdir, 'index.html'));
  return { outdir };
}
