import express, { type ErrorRequestHandler, type Express } from 'express';
import { createControls } from './controls';
import { dateHeader } from './dateHeader';
import { adminRouter } from './routes/admin';
import { authorizeRoute } from './routes/authorize';
import { discoveryRoute } from './routes/discovery';
import { endSessionRoute } from './routes/endSession';
import { consentRoute, loginRoute } from './routes/interaction';
import { jwksRoute } from './routes/jwks';
import { paletteApiRouter } from './routes/paletteApi';
import { tokenRoute } from './routes/token';
import { userinfoRoute } from './routes/userinfo';
import { createEmulatorState, type EmulatorState } from './state';
import type { SpectroCloudEmulatorControls, SpectroCloudEmulatorOptions } from './types';

export interface CreateEmulatorAppOptions extends Omit<SpectroCloudEmulatorOptions, 'host' | 'port' | 'tls'> {
  /** Where the app will be reachable, including any mount path: issuer URLs are built from it (https:// when your server does TLS). */
  baseUrl: string;
}

/** The emulator as an express app, to mount in a server of your own. */
export function createSpectroCloudEmulatorApp(options: CreateEmulatorAppOptions): {
  app: Express;
  emulator: SpectroCloudEmulatorControls;
} {
  const state = createEmulatorState(options, options.baseUrl);
  return { app: buildEmulatorApp(state), emulator: createControls(state, {}) };
}

/** The routes of one emulated tenant, plus the test controls under /__emulator. */
export function buildEmulatorApp(state: EmulatorState): Express {
  const tenant = express.Router();
  tenant.use(express.urlencoded({ extended: false }));
  tenant.get('/.well-known/openid-configuration', discoveryRoute(state));
  tenant.get('/keys', jwksRoute(state));
  tenant.get('/auth', authorizeRoute(state));
  tenant.post('/auth', authorizeRoute(state));
  tenant.post('/interaction/:id/login', loginRoute(state));
  tenant.post('/interaction/:id/consent', consentRoute(state));
  tenant.post('/token', tokenRoute(state));
  tenant.get('/userinfo', userinfoRoute(state));
  tenant.post('/userinfo', userinfoRoute(state));
  tenant.get('/logout', endSessionRoute(state));
  tenant.post('/logout', endSessionRoute(state));
  tenant.get('/:segment', jwksRoute(state));

  const app = express();
  app.disable('x-powered-by');
  app.use(dateHeader(state.faults, state.options.clock));
  app.use(state.urls.tenantPath, tenant);
  app.use('/v1', paletteApiRouter(state));
  app.use('/__emulator', adminRouter(state));
  app.use(quietErrors(state.options.logger));
  return app;
}

/**
 * Express's default handler prints the error, and a body parser's message can
 * quote the request body. Answer in JSON and log only the status.
 */
function quietErrors(logger: { info(msg: string): void }): ErrorRequestHandler {
  return (err, _req, res, _next) => {
    const status = Number.isInteger(err?.status) && err.status >= 400 && err.status < 600 ? err.status : 500;
    logger.info(`error: answered ${status}`);
    res.status(status).json({ error: status < 500 ? 'invalid_request' : 'server_error' });
  };
}
