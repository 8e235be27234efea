import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import express from 'express';
import type { JsonObject } from '@backstage/types';
import type { SpectroCloudEmulator } from '../../src/testing';
import { startExampleTenant } from '../shared/exampleTenant';
import { buildExampleApp } from './app/build';
import { createBackend, type ExampleBackend } from './createBackend';
import { loadExampleConfig } from './loadExampleConfig';

const here = dirname(fileURLToPath(import.meta.url));

export interface ExampleOptions {
  /** default 7007; 0 picks a free port */
  backendPort?: number;
  /** default 3000; 0 picks a free port */
  appPort?: number;
  /** default 7010; 0 picks a free port */
  emulatorPort?: number;
  /** default 'localhost' */
  hostname?: string;
  /** default process.env; SPECTROCLOUD_* there switch from the emulator to a real tenant */
  env?: Record<string, string | undefined>;
  /** extra keys of auth.providers.spectrocloud.development, e.g. { prompt: 'login' } */
  providerOverrides?: JsonObject;
  /**
   * Origins of other apps (an adopter's Backstage app) allowed to sign in: added
   * to CORS, auth.experimentalExtraAllowedOrigins and the emulator's post-logout URIs.
   */
  appOrigins?: string[];
  /** default true; false serves no example page and makes appOrigins[0] the app's base URL */
  appPage?: boolean;
}

export interface RunningExample {
  backendUrl: string;
  /** the app's base URL (the example page, or appOrigins[0] when the page is off) */
  appUrl: string;
  /** undefined when a real SpectroCloud tenant is configured */
  emulator?: SpectroCloudEmulator;
  /** the Palette-token cache and counters the backend's provider owns */
  paletteTokens: ExampleBackend['paletteTokens'];
  metrics: ExampleBackend['metrics'];
  close(): Promise<void>;
}

/** The legacy backend, the local SpectroCloud emulator (unless a real tenant is configured) and the app page. */
export async function startExample(options: ExampleOptions = {}): Promise<RunningExample> {
  const hostname = options.hostname ?? 'localhost';
  const env = { ...(options.env ?? process.env) };
  const appOrigins = options.appOrigins ?? [];
  const appPage = options.appPage ?? true;
  if (!appPage && appOrigins.length === 0) throw new Error('appPage: false needs an app origin in appOrigins');
  const backendServer = await listen(options.backendPort ?? 7007);
  const appServer = appPage ? await listen(options.appPort ?? 3000) : undefined;
  const backendUrl = `http://${hostname}:${port(backendServer)}`;
  const appUrl = appServer ? `http://${hostname}:${port(appServer)}` : appOrigins[0];
  const callbackUrl = `${backendUrl}/api/auth/spectrocloud/handler/frame`;

  const emulator = await startExampleTenant(env, { callbackUrl, postLogoutRedirectUris: [appUrl, ...appOrigins], emulatorPort: options.emulatorPort });

  const config = loadExampleConfig(join(here, 'app-config.yaml'), env, {
    app: { baseUrl: appUrl },
    backend: { baseUrl: backendUrl, listen: { port: port(backendServer) } },
    auth: {
      ...(appOrigins.length > 0 && { experimentalExtraAllowedOrigins: appOrigins }),
      providers: { spectrocloud: { development: { callbackUrl, ...options.providerOverrides } } },
    },
  });
  const backend = await createBackend(config, join(here, 'catalog-users.yaml'));
  backendServer.on('request', backend.app);

  const page = appServer ? await buildExampleApp({ backendUrl }) : undefined;
  if (appServer && page) {
    const app = express();
    app.use(express.static(page.outdir));
    appServer.on('request', app);
  }

  return {
    backendUrl,
    appUrl,
    emulator,
    paletteTokens: backend.paletteTokens,
    metrics: backend.metrics,
    async close() {
      for (const server of appServer ? [backendServer, appServer] : [backendServer]) {
        server.closeAllConnections();
        await new Promise(resolve => server.close(resolve));
      }
      await backend.paletteTokens.close();
      await emulator?.close();
      await page?.remove();
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

function port(server: http.Server): number {
  return (server.address() as AddressInfo).port;
}
