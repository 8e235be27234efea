import express from 'express';
import cors from 'cors';
import { load } from 'js-yaml';
import { readFileSync } from 'node:fs';
import type { Config } from '@backstage/config';
import type { Entity } from '@backstage/catalog-model';
import { InMemoryCatalogClient } from '@backstage/catalog-client/testUtils';
import { DatabaseManager, HostDiscovery, ServerTokenManager, errorHandler, getRootLogger, requestLoggingHandler } from '@backstage/backend-common';
import { createRouter, defaultAuthProviderFactories } from '@backstage/plugin-auth-backend';
import { DefaultIdentityClient } from '@backstage/plugin-auth-node';
// In your own backend: import { ... } from 'backstage-plugin-spectrocloud-auth-legacy';
// and { ... } from 'backstage-plugin-spectrocloud-auth-legacy/palette-tokens'.
import { SpectroCloudAuthMetrics, redactCallbackQuery, spectrocloud } from '../../src';
import {
  createPaletteTokenCache,
  createPaletteTokenMiddleware,
  type PaletteTokenCache,
  type PaletteTokenGrant,
} from '../../src/paletteTokens';
import { corsOrigins } from '../shared/appOrigin';

export interface ExampleBackend {
  app: express.Express;
  /** The cache the provider keeps Palette tokens in, shared with the plugin below. */
  paletteTokens: PaletteTokenCache;
  metrics: SpectroCloudAuthMetrics;
}

/** A minimal legacy Backstage backend: the auth router with SpectroCloud, and a plugin using the Palette token. */
export async function createBackend(config: Config, catalogFile: string): Promise<ExampleBackend> {
  const logger = getRootLogger();
  // Built once, owned here, handed to the provider and to the plugin that needs it.
  const metrics = new SpectroCloudAuthMetrics();
  const paletteTokens = createPaletteTokenCache(config, { logger, metrics });
  const discovery = HostDiscovery.fromConfig(config);
  const app = express();
  // The request log a legacy service builder writes, with the README's line: the callback's code and state stay out
  // (createServiceBuilder(module).setRequestLoggingHandler(logger => redactCallbackQuery(requestLoggingHandler(logger)))).
  app.use(redactCallbackQuery(requestLoggingHandler(logger)));
  // Legacy backends got CORS from backend.cors in their service builder; the auth router has none of its own.
  app.use(cors({ origin: corsOrigins(config), credentials: true, exposedHeaders: ['X-SpectroCloud-ReAuth-Required'] }));

  // packages/backend/src/plugins/auth.ts of a legacy backend:
  const authRouter = await createRouter({
    logger: logger.child({ plugin: 'auth' }),
    config,
    database: DatabaseManager.fromConfig(config).forPlugin('auth'),
    discovery,
    tokenManager: ServerTokenManager.noop(),
    catalogApi: new InMemoryCatalogClient({ entities: readCatalog(catalogFile) }),
    providerFactories: {
      ...defaultAuthProviderFactories,
      // signIn.resolvers come from app-config.yaml, exactly as the seed docs write them
      spectrocloud: spectrocloud.create({ paletteTokenCache: paletteTokens, metrics }),
    },
  });
  app.use('/api/auth', authRouter);

  // A backend plugin that calls SpectroCloud's API on the signed-in user's behalf.
  const identity = DefaultIdentityClient.create({ discovery });
  const spectroCloudApi = express.Router();
  spectroCloudApi.use((req, res, next) =>
    createPaletteTokenMiddleware({ identity, cache: paletteTokens })(req, res, next),
  );
  spectroCloudApi.get('/whoami', (req, res) => {
    const { userEntityRef, source } = (req as typeof req & { spectroCloud?: PaletteTokenGrant }).spectroCloud!;
    // A real plugin would call https://api.spectrocloud.com with this token; never send it to the browser.
    res.json({ userEntityRef, source, sessionToken: 'held by the backend' });
  });
  app.use('/api/spectrocloud', spectroCloudApi);
  app.get('/metrics', (_req, res) => {
    res.type('text/plain').send(metrics.toPrometheus());
  });
  // What legacy backends got from their service builder: JSON errors with the right status (the app page reads them).
  app.use(errorHandler());
  return { app, paletteTokens, metrics };
}

function readCatalog(file: string): Entity[] {
  return readFileSync(file, 'utf8')
    .split(/^---$/m)
    .map(doc => load(doc) as Entity)
    .filter(Boolean)
    .map(entity => ({ ...entity, metadata: { namespace: 'default', ...entity.metadata } }));
}
