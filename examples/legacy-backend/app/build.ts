import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * Bundles the app page (React and Backstage included: this page is the app)
 * into a temp dir that `remove()` deletes; the example calls it on close.
 */
export async function buildExampleApp(options: { backendUrl: string }): Promise<{ outdir: string; remove(): Promise<void> }> {
  const outdir = await mkdtemp(join(tmpdir(), 'spectrocloud-example-app-'));
  const remove = () => rm(outdir, { recursive: true, force: true });
  try {
    await bundle(outdir, options);
  } catch (error) {
    await remove();
    throw error;
  }
  return { outdir, remove };
}

async function bundle(outdir: string, options: { backendUrl: string }): Promise<void> {
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
}
