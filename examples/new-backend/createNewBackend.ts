import { readFileSync } from 'node:fs';
import express from 'express';
import { load } from 'js-yaml';
import type { Config } from '@backstage/config';
import type { Entity } from '@backstage/catalog-model';
import { createBackend } from '@backstage/backend-defaults';
import { rootHttpRouterServiceFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { coreServices, createBackendPlugin, createServiceFactory } from '@backstage/backend-plugin-api';
import { catalogServiceRef, type CatalogService } from '@backstage/plugin-catalog-node';
import { InMemoryCatalogClient } from '@backstage/catalog-client/testUtils';
import type { PaletteTokenGrant } from '../../src/paletteTokens';
// In your own backend: import { paletteTokenServiceRef } from 'backstage-plugin-spectrocloud-auth-legacy/session-token-service';
import { paletteTokenServiceRef } from '../../src/sessionTokenService';
import { withoutCallbackQueryInRequestLog } from './redactCallbackQuery';

/** A backend plugin that calls SpectroCloud's API on the signed-in user's behalf, through the Palette-token service (`.../session-token-service`). */
const spectroCloudApiPlugin = createBackendPlugin({
  pluginId: 'spectrocloud',
  register(reg) {
    reg.registerInit({
      deps: { router: coreServices.httpRouter, paletteTokens: paletteTokenServiceRef },
      async init({ router, paletteTokens }) {
        const api = express.Router();
        api.use(paletteTokens.middleware());
        api.get('/whoami', (req, res) => {
          const { userEntityRef, source } = (req as typeof req & { spectroCloud?: PaletteTokenGrant }).spectroCloud!;
          // A real plugin would call https://api.spectrocloud.com with the token; never send it to the browser.
          res.json({ userEntityRef, source, sessionToken: 'held by the backend' });
        });
        router.use(api);
      },
    });
  },
});

/**
 * packages/backend/src/index.ts of a new-system backend, with the config
 * handed over (the example chooses ports at runtime) and an in-memory
 * catalog from catalog-users.yaml in place of the catalog plugin.
 */
export async function startNewBackend(config: Config, catalogFile: string): Promise<{ stop(): Promise<void> }> {
  const backend = createBackend();
  backend.add(createServiceFactory({ service: coreServices.rootConfig, deps: {}, factory: () => config }));
  backend.add(rootHttpRouterServiceFactory({ configure: withoutCallbackQueryInRequestLog }));
  const catalog = new InMemoryCatalogClient({ entities: readCatalog(catalogFile) });
  backend.add(createServiceFactory({ service: catalogServiceRef, deps: {}, factory: () => catalog as unknown as CatalogService }));
  // In your own backend: backend.add(import('@backstage/plugin-auth-backend'));
  backend.add(import('@backstage/plugin-auth-backend-next'));
  // In your own backend: backend.add(import('backstage-plugin-spectrocloud-auth-legacy/backend-module'));
  backend.add(import('../../src/newBackend'));
  backend.add(spectroCloudApiPlugin);
  await backend.start();
  return { stop: () => backend.stop() };
}

function readCatalog(file: string): Entity[] {
  return readFileSync(file, 'utf8')
    .split(/^---$/m)
    .map(doc => load(doc) as Entity)
    .filter(Boolean)
    .map(entity => ({ ...entity, metadata: { namespace: 'default', ...entity.metadata } }));
}
