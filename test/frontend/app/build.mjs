// Builds the browser test page: `node test/frontend/app/build.mjs <outdir> [backendBaseUrl]`.
// Unlike the package build, React and Backstage are bundled in: this page is the app.
import { build } from 'esbuild';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * @param {string} outdir
 * @param {{ backendBaseUrl?: string, environment?: string, minify?: boolean, newSystem?: boolean }} [options]
 * @returns {Promise<{ outdir: string, html: string, script: string }>}
 */
export async function buildTestApp(outdir, options = {}) {
  outdir = resolve(outdir);
  await mkdir(outdir, { recursive: true });
  const common = {
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    sourcemap: true,
    minify: options.minify ?? false,
    define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
    // Backstage UI packages import images as URLs, as the Backstage CLI's bundler allows.
    loader: { '.svg': 'file', '.png': 'file', '.jpg': 'file', '.gif': 'file', '.woff': 'file', '.woff2': 'file' },
    logLevel: 'warning',
  };
  // The legacy frontend system's page, on this package's core-app-api devDependency.
  await build({ ...common, entryPoints: [join(here, 'main.ts')], outfile: join(outdir, 'main.js'), alias: { '@backstage/theme': coreComponentsTheme() } });
  const config = { backendBaseUrl: options.backendBaseUrl, environment: options.environment };
  const html = join(outdir, 'index.html');
  await writeFile(html, page(config));
  if (!options.newSystem) return { outdir, html, script: join(outdir, 'main.js') };
  // The new frontend system's app (11 MB, about 13 s to build: only for the tests that open it),
  // on the core-app-api its plugin-app is built for (a generated app has one copy).
  await build({
    ...common,
    entryPoints: [join(here, 'newSystem.ts')],
    outfile: join(outdir, 'new-system.js'),
    alias: { '@backstage/core-app-api': newSystemCoreAppApi() },
    // renderTestApp renders through @testing-library/react, whose act() exists in React's development build only.
    define: { ...common.define, 'process.env.NODE_ENV': '"development"' },
  });
  await writeFile(join(outdir, 'new-system.html'), newSystemPage(config));
  return { outdir, html, script: join(outdir, 'main.js') };
}

function page(config) {
  const json = JSON.stringify(config).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>SpectroCloud auth test app</title>
  <style>body{font-family:sans-serif;margin:2rem}button{margin:.25rem}pre{background:#f4f4f4;padding:1rem}</style>
  <script>window.__SPECTRO_TEST_CONFIG__ = ${json};</script>
  <script type="module" src="./main.js"></script>
</head>
<body>
  <h1>SpectroCloud auth test app</h1>
  <p>Backend: <code id="backend"></code> &middot; Session: <strong id="session-state">unknown</strong></p>
  <p>
    <button id="sign-in">Sign in with SpectroCloud</button>
    <button id="restore-session">Restore session</button>
    <button id="sign-out">Sign out</button>
    <button id="profile">Show profile</button>
    <button id="id-token">Check ID token</button>
    <button id="kubernetes">Kubernetes request</button>
  </p>
  <p>
    <input id="reauth-url" size="50" value="/api/spectrocloud/health" aria-label="Backend URL">
    <button id="reauth-fetch">Fetch with re-auth</button>
  </p>
  <section id="app-page">
    <h2>Cluster access (loads on open)</h2>
    <p>whoami: <strong id="whoami">not loaded</strong> &middot; <a href="?load=whoami">reload with data</a></p>
  </section>
  <div id="login-requests" role="dialog" aria-label="Login Required" hidden>
    <h2>Login Required</h2>
    <ul></ul>
    <button id="login-reject-all">Reject All</button>
  </div>
  <p><label for="notes">Unsaved notes</label> <textarea id="notes" rows="2" cols="50"></textarea></p>
  <div id="session-end"></div>
  <pre id="output"></pre>
</body>
</html>
`;
}

/** The folder of the @backstage/theme that @backstage/core-components resolves (what a legacy app has). */
function coreComponentsTheme() {
  const fromCoreComponents = createRequire(createRequire(import.meta.url).resolve('@backstage/core-components/package.json'));
  return dirname(fromCoreComponents.resolve('@backstage/theme/package.json'));
}

/** The folder of the core-app-api that @backstage/frontend-test-utils (and its plugin-app) resolves. */
function newSystemCoreAppApi() {
  const fromTestUtils = createRequire(createRequire(import.meta.url).resolve('@backstage/frontend-test-utils/package.json'));
  return dirname(fromTestUtils.resolve('@backstage/core-app-api/package.json'));
}

function newSystemPage(config) {
  const json = JSON.stringify(config).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>SpectroCloud auth test app (new frontend system)</title>
  <script>window.__SPECTRO_TEST_CONFIG__ = ${json};</script>
  <script type="module" src="./new-system.js"></script>
</head>
<body></body>
</html>
`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [outdir, backendBaseUrl] = process.argv.slice(2);
  if (!outdir) {
    console.error('usage: node test/frontend/app/build.mjs <outdir> [backendBaseUrl]');
    process.exit(2);
  }
  const result = await buildTestApp(outdir, { backendBaseUrl });
  console.log(JSON.stringify(result));
}
