import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { ConfigReader } from '@backstage/config';
import type { JsonObject } from '@backstage/types';
import { DatabaseManager, errorHandler, HostDiscovery, ServerTokenManager } from '@backstage/backend-common';
import { createRouter, type ProviderFactories } from '@backstage/plugin-auth-backend';
import { InMemoryCatalogClient } from '@backstage/catalog-client/testUtils';
import type { Entity } from '@backstage/catalog-model';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { createTestLogger } from './logger';

export interface LegacyBackend {
  /** http://127.0.0.1:PORT */
  url: string;
  authUrl: string;
  logLines: string[];
  /** the in-memory catalog the sign-in resolvers read (a test may remove a user from it) */
  catalog: InMemoryCatalogClient;
  close(): Promise<void>;
}

export function userEntity(name: string, email: string, annotations: Record<string, string> = {}): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name, namespace: 'default', annotations },
    spec: { profile: { email, displayName: name }, memberOf: [] },
  };
}

/**
 * A legacy Backstage backend as users run it (shared by the tests and the bench): express, the legacy
 * `createRouter` of @backstage/plugin-auth-backend with our factories,
 * an in-memory sqlite database and an in-memory catalog.
 */
export async function startLegacyBackend(options: {
  providerFactories: ProviderFactories;
  /** `auth.providers`, built once the backend's URL is known */
  providers: JsonObject | ((backendUrl: string) => JsonObject | Promise<JsonObject>);
  users?: Entity[];
  appUrl?: string;
  /** listen on this port (e.g. one promised to an OAuth client's redirect URI); default a random one */
  port?: number;
  auth?: JsonObject;
  /** `backend.database`; default an in-memory sqlite (replicas share one file, as they would share Postgres) */
  database?: JsonObject;
  /** further routers of the same backend, e.g. a plugin using the hand-off middleware */
  routers?: (context: { discovery: HostDiscovery; config: ConfigReader }) => Promise<Record<string, express.Router>> | Record<string, express.Router>;
  /** default: a test logger whose lines the log guard inspects (the bench passes a silent one) */
  logger?: LoggerService;
  /** the HTTP server's keep-alive timeout (the bench's load runs keep connections open) */
  keepAliveTimeoutMs?: number;
  /** a request logger in front of every route, as a service builder puts one (e.g. backend-common's requestLoggingHandler) */
  requestLog?: (logger: LoggerService) => express.RequestHandler;
}): Promise<LegacyBackend> {
  const app = express();
  const server = http.createServer(app);
  if (options.keepAliveTimeoutMs !== undefined) server.keepAliveTimeout = options.keepAliveTimeoutMs;
  await new Promise<void>(resolve => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const config = new ConfigReader({
    app: { baseUrl: options.appUrl ?? 'http://127.0.0.1:3000' },
    backend: {
      baseUrl: url,
      listen: { port },
      database: options.database ?? { client: 'better-sqlite3', connection: ':memory:' },
    },
    auth: {
      environment: 'development',
      ...(options.auth ?? {}),
      providers: typeof options.providers === 'function' ? await options.providers(url) : options.providers,
    },
  });
  const logLines: string[] = [];
  const logger = options.logger ?? createTestLogger(logLines);
  const discovery = HostDiscovery.fromConfig(config);
  const catalog = new InMemoryCatalogClient({ entities: options.users ?? [] });
  const router = await createRouter({
    logger,
    config,
    database: DatabaseManager.fromConfig(config).forPlugin('auth'),
    discovery,
    tokenManager: ServerTokenManager.noop(),
    catalogApi: catalog,
    providerFactories: options.providerFactories,
    disableDefaultProviderFactories: true,
  });
  if (options.requestLog) app.use(options.requestLog(logger));
  app.use('/api/auth', router);
  for (const [path, pluginRouter] of Object.entries((await options.routers?.({ discovery, config })) ?? {})) app.use(path, pluginRouter);
  // What legacy backends get from their service builder.
  app.use(errorHandler());
  return {
    url,
    authUrl: `${url}/api/auth`,
    logLines,
    catalog,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
