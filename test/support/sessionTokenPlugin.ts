import express from 'express';
import { coreServices, createBackendPlugin } from '@backstage/backend-plugin-api';
import { paletteTokenServiceRef } from '../../src/sessionTokenService';
import type { SpectroCloudRequest } from '../../src/paletteTokens';

/**
 * A second new-system plugin (`/api/spectrocloud`) that gets the signed-in user's SpectroCloud
 * session token from the service: `/whoami` through its middleware, `/direct` through `forRequest`.
 * It answers only the token's tail, never the token.
 */
export const sessionTokenPlugin = createBackendPlugin({
  pluginId: 'spectrocloud',
  register(reg) {
    reg.registerInit({
      deps: { router: coreServices.httpRouter, paletteTokens: paletteTokenServiceRef },
      async init({ router, paletteTokens }) {
        const api = express.Router();
        api.use(paletteTokens.middleware());
        api.get('/whoami', (req, res) => {
          const grant = (req as SpectroCloudRequest).spectroCloud!;
          res.json({ userEntityRef: grant.userEntityRef, tokenTail: grant.token.slice(-12) });
        });
        api.get('/direct', async (req, res) => {
          const grant = await paletteTokens.forRequest(req);
          res.json({ userEntityRef: grant.userEntityRef });
        });
        router.use(api);
      },
    });
  },
});
