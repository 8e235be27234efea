import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createControls } from './controls';
import { buildEmulatorApp } from './createApp';
import { createEmulatorState } from './state';
import type { EmulatorTls, SpectroCloudEmulator, SpectroCloudEmulatorOptions } from './types';

/** Starts a real OIDC server that behaves like a Palette tenant; `port: 0` picks a free port. */
export async function startSpectroCloudEmulator(options: SpectroCloudEmulatorOptions): Promise<SpectroCloudEmulator> {
  const host = options.host ?? '127.0.0.1';
  // Listen first: the issuer contains the port, and the state is built from the issuer.
  const server = createServer(options.tls);
  await listen(server, options.port ?? 0, host);
  const { port } = server.address() as AddressInfo;
  try {
    const scheme = options.tls ? 'https' : 'http';
    const state = createEmulatorState(options, `${scheme}://${urlHost(host)}:${port}`);
    server.on('request', buildEmulatorApp(state));
    state.options.logger.info(`SpectroCloud emulator listening at ${state.urls.issuer}`);
    return createControls(state, { close: () => close(server) });
  } catch (err) {
    await close(server); // bad options: leave no listening socket behind
    throw err;
  }
}

function createServer(tls: EmulatorTls | undefined): Server {
  if (!tls) return createHttpServer();
  if (typeof tls.key !== 'string' || typeof tls.cert !== 'string') {
    throw new Error('SpectroCloud emulator: option "tls" needs "key" and "cert" as PEM text');
  }
  // A bad PEM throws here, before anything listens.
  return createHttpsServer({ key: tls.key, cert: tls.cert });
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close(err => (err ? reject(err) : resolve()));
    // Keep-alive sockets (supertest, fetch) and requests held by tokenStall would otherwise hold close() open.
    server.closeAllConnections();
  });
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
