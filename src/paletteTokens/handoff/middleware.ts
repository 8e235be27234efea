import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from 'express';
import { SpectroCloudPaletteTokenError, SpectroCloudTokenStoreError } from '../errors';
import { type PaletteTokenGrant, type PaletteTokenHandoffOptions, getPaletteToken } from './handoff';

/** Response header telling the frontend to sign in with SpectroCloud again. */
import { SPECTROCLOUD_REAUTH_HEADER } from '../../reauthHeader';

/**
 * Express middleware for backend plugins that call SpectroCloud's API on the
 * user's behalf (see {@link getPaletteToken} for how the token is chosen).
 *
 * On success it sets `res.locals.spectroCloudToken` and `req.spectroCloud`.
 * Otherwise it answers with JSON `{ error: { name, message, code } }`:
 * - 401 no or unverifiable Backstage token;
 * - 401 + `X-SpectroCloud-ReAuth-Required: true` when the user has no
 *   SpectroCloud session here (expired, evicted, lost in a restart), unless the
 *   service-token fallback is enabled and configured;
 * - 403 when `X-SpectroCloud-User-Email` names another user;
 * - 503 + `Retry-After` when the token store is unavailable, without the
 *   re-authentication header: signing in again cannot help until the store is
 *   back, and a sign-in made meanwhile is stored once it is.
 *
 * Why public: the usual way a legacy backend's plugin gets the Palette token.
 *
 * @public
 */
export function createPaletteTokenMiddleware(options: PaletteTokenHandoffOptions): RequestHandler {
  const identity = options.identity as Partial<Record<'getIdentity' | 'authenticate', unknown>>;
  if (typeof identity?.getIdentity !== 'function' && typeof identity?.authenticate !== 'function') {
    throw new TypeError(
      'createPaletteTokenMiddleware needs an identity client with getIdentity() or authenticate(), ' +
        'e.g. IdentityClient.create({ discovery, issuer }) from @backstage/plugin-auth-node',
    );
  }
  return (req: Request, res: Response, next: NextFunction) => {
    getPaletteToken({ ...options, req }).then(
      grant => {
        res.locals.spectroCloudToken = grant.token;
        (req as Request & { spectroCloud?: PaletteTokenGrant }).spectroCloud = grant;
        next();
      },
      error => {
        if (error instanceof SpectroCloudPaletteTokenError) sendError(res, error);
        else next(error);
      },
    );
  };
}

/**
 * Express error handler for a plugin's routes: answers this package's errors
 * thrown after the middleware (e.g. by the Palette API client) exactly as the
 * middleware does (401 + `X-SpectroCloud-ReAuth-Required`, 503 + `Retry-After`...),
 * and passes every other error on. Mount it after the routes.
 *
 * @deprecated Use `errorHandler()` of the client `createPaletteApiClient` returns (the same handler).
 * @public
 */
export function createSpectroCloudErrorHandler(): ErrorRequestHandler {
  return (error, _req, res, next) => {
    if (error instanceof SpectroCloudPaletteTokenError && !res.headersSent) sendError(res, error);
    else next(error);
  };
}

function sendError(res: Response, error: SpectroCloudPaletteTokenError): void {
  if (error.code === 'ERR_SPECTROCLOUD_REAUTH_REQUIRED') {
    res.setHeader(SPECTROCLOUD_REAUTH_HEADER, 'true');
    // The app usually runs on another origin: let its fetch() read the header.
    res.append('Access-Control-Expose-Headers', SPECTROCLOUD_REAUTH_HEADER);
  }
  if (error instanceof SpectroCloudTokenStoreError) res.setHeader('Retry-After', '5');
  res.setHeader('Cache-Control', 'no-store');
  res.status(error.statusCode).json({
    error: { name: error.name, message: error.message, code: error.code },
    response: { statusCode: error.statusCode },
  });
}
