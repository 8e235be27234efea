// The new-backend-system half of signin-check.mjs: createBackend() of
// @backstage/backend-defaults with the auth plugin of the installed line and
// this package's module from its tarball, on a fixed config, an in-memory
// sqlite database and the check's small catalog.
import http from 'node:http';

function freePort() {
  const server = http.createServer();
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Starts the backend; returns its URL and stop(). `providers(url)` gives auth.providers once the URL is known. */
export async function startNewSystemBackend({ require, logger, catalog, providers }) {
  const { createBackend } = require('@backstage/backend-defaults');
  const { coreServices, createServiceFactory } = require('@backstage/backend-plugin-api');
  const { catalogServiceRef } = require('@backstage/plugin-catalog-node');
  const { ConfigReader } = require('@backstage/config');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const config = new ConfigReader({
    app: { baseUrl: 'http://127.0.0.1:3000' },
    backend: { baseUrl: url, listen: { port, host: '127.0.0.1' }, database: { client: 'better-sqlite3', connection: ':memory:' } },
    auth: { environment: 'development', providers: await providers(url) },
  });
  const backend = createBackend();
  backend.add(createServiceFactory({ service: coreServices.rootConfig, deps: {}, factory: () => config }));
  backend.add(createServiceFactory({ service: coreServices.rootLogger, deps: {}, factory: () => logger }));
  backend.add(createServiceFactory({ service: catalogServiceRef, deps: {}, factory: () => catalog }));
  backend.add(require('@backstage/plugin-auth-backend'));
  // What a user writes: backend.add(import('backstage-plugin-spectrocloud-auth-legacy/backend-module')).
  backend.add(import('backstage-plugin-spectrocloud-auth-legacy/backend-module'));
  await backend.start();
  return { url, stop: () => backend.stop() };
}
