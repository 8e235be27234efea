// One legacy Backstage auth backend with BOTH providers in the same
// `providerFactories`: ours (`spectrocloud`) and Backstage's built-in legacy
// `oidc` provider (the baseline), pointed at the same OIDC server.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { ConfigReader } from '@backstage/config';
import type { JsonObject } from '@backstage/types';
import { DatabaseManager, HostDiscovery, ServerTokenManager } from '@backstage/backend-common';
import { createRouter, providers } from '@backstage/plugin-auth-backend';
import { InMemoryCatalogClient } from '@backstage/catalog-client/testUtils';
import type { Entity } from '@backstage/catalog-model';
import { spectrocloud } from '../src';
import { startSpectroCloudEmulator, type SpectroCloudEmulator } from '../src/testing';

export const OURS_CLIENT = { clientId: 'bench-spectrocloud', clientSecret: 'bench-secret-spectrocloud-5d1c' };
export const BASELINE_CLIENT = { clientId: 'bench-oidc', clientSecret: 'bench-secret-oidc-8a2e' };
export const BENCH_USERS = [
  { email: 'alice@example.com', given_name: 'Alice', family_name: 'Example', groups: ['developers'] },
  { email: 'bob@example.com', given_name: 'Bob', family_name: 'Builder', groups: ['developers'] },
];

export type ProviderName = 'spectrocloud' | 'oidc';
export const PROVIDERS: ProviderName[] = ['spectrocloud', 'oidc'];
export const LABEL: Record<ProviderName, string> = { spectrocloud: 'ours (spectrocloud)', oidc: 'baseline (built-in oidc)' };

function user(name: string, email: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name, namespace: 'default' },
    spec: { profile: { email, displayName: name }, memberOf: [] },
  };
}

/** A logger that drops everything (the router and both providers log per request). */
function silentLogger(): any {
  const logger: any = { child: () => logger };
  for (const level of ['error', 'warn', 'info', 'debug', 'verbose', 'silly', 'log']) logger[level] = () => undefined;
  return logger;
}

export interface BenchBackend {
  url: string;
  authUrl: string;
  /** the IdP both providers use: the SpectroCloud emulator, or a standard OIDC server */
  idp: { kind: 'emulator'; emulator: SpectroCloudEmulator } | { kind: 'standard'; issuer: string };
  close(): Promise<void>;
}

/** Starts the HTTP server first (the callback URLs need its port), then the router. */
async function listenFirst() {
  const app = express();
  const server = http.createServer(app);
  server.keepAliveTimeout = 60_000;
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return { app, server, port, url, authUrl: `${url}/api/auth` };
}

async function mountRouter(
  base: Awaited<ReturnType<typeof listenFirst>>,
  providerConfig: JsonObject,
): Promise<void> {
  const config = new ConfigReader({
    app: { baseUrl: 'http://127.0.0.1:3000' },
    backend: {
      baseUrl: base.url,
      listen: { port: base.port },
      database: { client: 'better-sqlite3', connection: ':memory:' },
    },
    auth: {
      environment: 'development',
      // The built-in oidc provider keeps its OAuth state in express-session: it needs this.
      session: { secret: 'bench-session-secret-3f9b0d1e' },
      providers: providerConfig,
    },
  });
  const router = await createRouter({
    logger: silentLogger(),
    config,
    database: DatabaseManager.fromConfig(config).forPlugin('auth'),
    discovery: HostDiscovery.fromConfig(config),
    tokenManager: ServerTokenManager.noop(),
    catalogApi: new InMemoryCatalogClient({ entities: [user('alice', 'alice@example.com'), user('bob', 'bob@example.com')] }),
    providerFactories: {
      spectrocloud: spectrocloud.create({
        signIn: { resolver: spectrocloud.resolvers.emailMatchingUserEntityProfileEmail() },
      }),
      oidc: providers.oidc.create({
        signIn: { resolver: providers.oidc.resolvers.emailMatchingUserEntityProfileEmail() },
      }),
    },
    disableDefaultProviderFactories: true,
  });
  base.app.use('/api/auth', router);
  base.app.use((error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    const status = ({ InputError: 400, AuthenticationError: 401, NotAllowedError: 403, NotFoundError: 404 } as Record<string, number>)[error.name] ?? 500;
    res.status(status).json({ error: { name: error.name, message: error.message } });
  });
}

function closer(server: http.Server, ...more: Array<() => Promise<void>>) {
  return async () => {
    server.closeAllConnections();
    await new Promise<void>(resolve => server.close(() => resolve()));
    for (const close of more) await close();
  };
}

/** Both providers against the SpectroCloud emulator (autoApprove with login_hint). */
export async function startEmulatorBackend(): Promise<BenchBackend> {
  const base = await listenFirst();
  const emulator = await startSpectroCloudEmulator({
    clients: [
      { ...OURS_CLIENT, redirectUris: [`${base.authUrl}/spectrocloud/handler/frame`] },
      { ...BASELINE_CLIENT, redirectUris: [`${base.authUrl}/oidc/handler/frame`] },
    ],
    users: BENCH_USERS,
    autoApprove: true,
  });
  await mountRouter(base, {
    spectrocloud: {
      development: { ...OURS_CLIENT, authorizationUrl: emulator.authorizationUrl },
    },
    oidc: {
      development: { ...BASELINE_CLIENT, metadataUrl: emulator.discoveryUrl, prompt: 'auto' },
    },
  });
  return {
    url: base.url,
    authUrl: base.authUrl,
    idp: { kind: 'emulator', emulator },
    close: closer(base.server, () => emulator.close()),
  };
}

/** The part of test/support/standardOidcServer.ts the bench uses. */
interface StandardOidcModule {
  startStandardOidcServer(options: {
    redirectUris: string[];
    clientId: string;
    clientSecret: string;
    accounts: Array<{ sub: string; email: string; given_name?: string; family_name?: string }>;
    idTokenTtl?: number;
  }): Promise<{
    issuer: string;
    authorizationUrl: string;
    clientIds: { post: string; basic: string };
    authorize(location: string, loginHint: string): Promise<string>;
    close(): Promise<void>;
  }>;
}

/**
 * Both providers against a standard OIDC server that issues real refresh
 * tokens (oidc-provider via the test harness), so that both refresh paths are
 * real refresh_token grants. Undefined when that harness is not available.
 */
export async function startStandardBackend(): Promise<(BenchBackend & { authorize(location: string, email: string): Promise<string> }) | undefined> {
  let mod: StandardOidcModule;
  try {
    // Loaded by URL so that type-checking bench/ does not need the test harness to exist.
    mod = (await import(new URL('../test/support/standardOidcServer.ts', import.meta.url).href)) as StandardOidcModule;
  } catch (error) {
    console.log(`   (standard OIDC server unavailable: ${(error as Error).message.split('\n')[0]})`);
    return undefined;
  }
  const base = await listenFirst();
  const idp = await mod.startStandardOidcServer({
    redirectUris: [`${base.authUrl}/spectrocloud/handler/frame`, `${base.authUrl}/oidc/handler/frame`],
    clientId: 'bench-standard',
    clientSecret: 'bench-standard-secret-71c4',
    accounts: BENCH_USERS.map((u, i) => ({ sub: `user-${i}`, email: u.email, given_name: u.given_name, family_name: u.family_name })),
    idTokenTtl: 3600,
  });
  await mountRouter(base, {
    spectrocloud: {
      development: {
        clientId: idp.clientIds.post,
        clientSecret: 'bench-standard-secret-71c4',
        authorizationUrl: idp.authorizationUrl,
        // A standard IdP issues a refresh token only for offline_access, which
        // OIDC ties to prompt=consent: both providers ask the same way.
        scope: 'openid profile email offline_access',
        prompt: 'consent',
      },
    },
    oidc: {
      development: {
        clientId: idp.clientIds.basic,
        clientSecret: 'bench-standard-secret-71c4',
        metadataUrl: `${idp.issuer}/.well-known/openid-configuration`,
        prompt: 'consent',
        additionalScopes: ['offline_access'],
      },
    },
  });
  return {
    url: base.url,
    authUrl: base.authUrl,
    idp: { kind: 'standard', issuer: idp.issuer },
    authorize: (location, email) => idp.authorize(location, email),
    close: closer(base.server, () => idp.close()),
  };
}
