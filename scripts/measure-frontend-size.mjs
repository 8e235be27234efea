// Bundles the `./frontend` entry the way an app bundler would see it (Backstage
// packages and React are peers, so external) and reports raw and gzipped bytes.
//   node scripts/measure-frontend-size.mjs   ->   {"entry":...,"rawBytes":...,"gzipBytes":...,"peerImports":[...]}
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Peers: never part of our bundle (Material UI v4 too: every Backstage app has it through core-components). */
export const frontendExternals = ['@backstage/*', '@material-ui/*', 'react', 'react/*', 'react-dom', 'react-dom/*', 'react-router-dom'];

/** How a frontend entry is bundled for measuring (ours here, other plugins' in bench/frontendSize.ts). */
export const browserBundleOptions = /** @type {const} */ ({
  bundle: true,
  write: false,
  format: 'esm',
  platform: 'browser',
  target: 'es2020',
  minify: true,
  external: frontendExternals,
  logLevel: 'silent',
});

/**
 * @param {string} [entry] path relative to the package root
 * @returns {Promise<{ entry: string, rawBytes: number, gzipBytes: number, peerImports: string[] }>}
 */
export async function measureFrontendSize(entry = 'src/frontend/index.ts') {
  const result = await build({ ...browserBundleOptions, entryPoints: [join(root, entry)], metafile: true });
  const code = result.outputFiles[0].contents;
  const [output] = Object.values(result.metafile.outputs);
  const peerImports = [...new Set(output.imports.filter(i => i.external).map(i => i.path))].sort();
  return { entry, rawBytes: code.byteLength, gzipBytes: gzipSync(code, { level: 9 }).byteLength, peerImports };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const entries = process.argv.slice(2);
  const results = await Promise.all((entries.length ? entries : ['src/frontend/index.ts']).map(e => measureFrontendSize(e)));
  console.log(JSON.stringify(results.length === 1 ? results[0] : results));
}
