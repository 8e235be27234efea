import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigReader } from '@backstage/config';
import type { JsonObject } from '@backstage/types';
import { createBackend } from '@backstage/backend-defaults';
import { rootHttpRouterServiceFactory } from '@backstage/backend-defaults/rootHttpRouter';
import {
  coreServices,
  createServiceFactory,
  type BackendFeature,
  type LoggerService,
  type RootLoggerService,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef, type CatalogService } from '@backstage/plugin-catalog-node';
import { InMemoryCatalogClient } from '@backstage/catalog-client/testUtils';
import type { Entity } from '@backstage/catalog-model';
import authPlugin from '@backstage/plugin-auth-backend-next';
import { withoutCallbackQueryInRequestLog } from '../../examples/new-backend/redactCallbackQuery';
import type { LegacyBackend } from './legacyBackend';
import { createTestLogger } from './logger';

export type NewBackend = LegacyBackend;

/**
 * A new-system Backstage backend as users run it (`createBackend()` of
 * backend-defaults) with the current auth plugin and the features given
 * (by default our module from source), on a fixed config: the same shape as
 * {@link startLegacyBackend}, so tests and the bench can take either.
 */
export async function startNewBackend(options: {
  /** `auth.providers`, built once the backend's URL is known */
  providers: JsonObject | ((backendUrl: string) => JsonObject | Promise<JsonObject>);
  users?: Entity[];
  appUrl?: string;
  port?: number;
  auth?: JsonObject;
  /** `backend.database`; default an in-memory sqlite */
  database?: JsonObject;
  /** the SpectroCloud module (default: from source) and further plugins, e.g. one using the session-token service */
  features?: Array<BackendFeature | Promise<{ default: BackendFeature }>>;
  /** default: a test logger whose lines the log guard inspects (the bench passes a silent one) */
  logger?: LoggerService;
  keepAliveTimeoutMs?: number;
  /** extra top-level config, e.g. `{ backend: { cors } }` merged into backend */
  backend?: JsonObject;
}): Promise<NewBackend> {
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const config = new ConfigReader({
    app: { baseUrl: options.appUrl ?? 'http://127.0.0.1:3000' },
    backend: {
      baseUrl: url,
      listen: { port, host: '127.0.0.1' },
      database: options.database ?? { client: 'better-sqlite3', connection: ':memory:' },
      ...(options.keepAliveTimeoutMs !== undefined ? { server: { keepAliveTimeout: options.keepAliveTimeoutMs } } : {}),
      ...(options.backend ?? {}),
    },
    auth: {
      environment: 'development',
      ...(options.auth ?? {}),
      providers: typeof options.providers === 'function' ? await options.providers(url) : options.providers,
    },
  });
  const logLines: string[] = [];
  const logger = options.logger ?? createTestLogger(logLines);
  const catalog = new InMemoryCatalogClient({ entities: options.users ?? [] });

  const backend = createBackend();
  backend.add(createServiceFactory({ service: coreServices.rootConfig, deps: {}, factory: () => config }));
  backend.add(createServiceFactory({ service: coreServices.rootLogger, deps: {}, factory: () => logger as RootLoggerService }));
  // The catalog the sign-in resolvers read: the same in-memory catalog as the legacy bootstrap.
  backend.add(createServiceFactory({ service: catalogServiceRef, deps: {}, factory: () => catalog as unknown as CatalogService }));
  // As docs/upgrading.md tells operators: the callback's query stays out of the request log.
  backend.add(rootHttpRouterServiceFactory({ configure: withoutCallbackQueryInRequestLog }));
  backend.add(authPlugin);
  for (const feature of options.features ?? [import('../../src/newBackend')]) backend.add(feature);
  await backend.start();
  return { url, authUrl: `${url}/api/auth`, logLines, catalog, close: () => backend.stop() };
}

function freePort(): Promise<number> {
  const server = http.createServer();
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
