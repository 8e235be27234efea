import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import express from 'express';
import type { SpectroCloudEmulator } from '../../src/testing';
import { startExampleTenant } from '../shared/exampleTenant';
import { buildExampleApp } from '../legacy-backend/app/build';
import { loadExampleConfig } from '../legacy-backend/loadExampleConfig';
import type { ExampleOptions } from '../legacy-backend/startExample';
import { startNewBackend } from './createNewBackend';

const here = dirname(fileURLToPath(import.meta.url));
const legacyExample = join(here, '..', 'legacy-backend');

export interface RunningNewExample {
  backendUrl: string;
  appUrl: string;
  /** undefined when a real SpectroCloud tenant is configured */
  emulator?: SpectroCloudEmulator;
  close(): Promise<void>;
}

/**
 * The same example as `pnpm example` (same app-config.yaml, emulator, catalog
 * and app page) on the new backend system: `createBackend()` with the auth
 * plugin and the SpectroCloud module.
 */
export async function startNewExample(options: ExampleOptions = {}): Promise<RunningNewExample> {
  const hostname = options.hostname ?? 'localhost';
  const env = { ...(options.env ?? process.env) };
  // The new backend opens its own server: pick its port first.
  const backendPort = options.backendPort === 0 ? await freePort() : (options.backendPort ?? 7007);
  const appServer = await listen(options.appPort ?? 3000);
  const backendUrl = `http://${hostname}:${backendPort}`;
  const appUrl = `http://${hostname}:${(appServer.address() as AddressInfo).port}`;
  const callbackUrl = `${backendUrl}/api/auth/spectrocloud/handler/frame`;

  const emulator = await startExampleTenant(env, { callbackUrl, postLogoutRedirectUris: [appUrl], emulatorPort: options.emulatorPort });

  const config = loadExampleConfig(join(legacyExample, 'app-config.yaml'), env, {
    app: { baseUrl: appUrl },
    backend: {
      baseUrl: backendUrl,
      listen: { port: backendPort, host: '127.0.0.1' },
      // The new backend's CORS comes from config (the legacy example adds it in code).
      cors: { origin: new URL(appUrl).origin, credentials: true, exposedHeaders: ['X-SpectroCloud-ReAuth-Required'] },
    },
    auth: { providers: { spectrocloud: { development: { callbackUrl, ...options.providerOverrides } } } },
  });
  const backend = await startNewBackend(config, join(legacyExample, 'catalog-users.yaml'));

  const page = await buildExampleApp({ backendUrl });
  const app = express();
  app.use(express.static(page.outdir));
  appServer.on('request', app);

  return {
    backendUrl,
    appUrl,
    emulator,
    async close() {
      appServer.closeAllConnections();
      await new Promise(resolve => appServer.close(resolve));
      await backend.stop();
      await emulator?.close();
      await page.remove();
    },
  };
}

function listen(portNumber: number): Promise<http.Server> {
  const server = http.createServer();
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(portNumber, '127.0.0.1', () => resolve(server));
  });
}

async function freePort(): Promise<number> {
  const server = await listen(0);
  const { port } = server.address() as AddressInfo;
  await new Promise(resolve => server.close(resolve));
  return port;
}
