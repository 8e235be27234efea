import type { Request, RequestHandler } from 'express';
import { coreServices, createServiceFactory, createServiceRef, type HttpAuthService } from '@backstage/backend-plugin-api';
import { getPaletteToken, type BackstageIdentityVerifier, type PaletteTokenGrant } from '../paletteTokens/handoff/handoff';
import { createPaletteTokenMiddleware } from '../paletteTokens/handoff/middleware';
import { paletteTokenCachesServiceRef } from './storesService';

/**
 * SpectroCloud's session token of the request's signed-in user, for backend
 * plugins of the new backend system.
 *
 * @public
 */
export interface PaletteTokenService {
  /**
   * The token of the user whose Backstage credentials the request carries
   * (`httpAuth`), looked up by that user only.
   *
   * @throws SpectroCloudAuthenticationError (401) no or unverifiable Backstage user token
   * @throws SpectroCloudNotAllowedError (403) `X-SpectroCloud-User-Email` names someone else
   * @throws SpectroCloudReAuthRequiredError (401) no SpectroCloud session for the user
   * @throws SpectroCloudTokenStoreError (503) the store cannot be read
   */
  forRequest(req: Request, options?: { providerId?: string }): Promise<PaletteTokenGrant>;
  /**
   * Express middleware with the legacy middleware's answers: on success
   * `res.locals.spectroCloudToken`; 401 with `X-SpectroCloud-ReAuth-Required:
   * true` when the user must sign in with SpectroCloud again; 403; 503.
   */
  middleware(options?: { providerId?: string }): RequestHandler;
}

/** The request's user from `httpAuth`; only user principals have a SpectroCloud session. */
function identityFrom(httpAuth: HttpAuthService): BackstageIdentityVerifier {
  return {
    async getIdentity({ request }) {
      const credentials = await httpAuth.credentials(request as Request, { allow: ['user'] });
      return { identity: { userEntityRef: credentials.principal.userEntityRef } };
    },
  };
}

/**
 * Depend on it in a backend plugin: `deps: { spectroCloud: paletteTokenServiceRef }`.
 * It reads the store the SpectroCloud auth module writes (same `tokenStore` config).
 *
 * @public
 */
export const paletteTokenServiceRef = createServiceRef<PaletteTokenService>({
  id: 'spectrocloud.session-tokens',
  scope: 'plugin',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: { httpAuth: coreServices.httpAuth, stores: paletteTokenCachesServiceRef },
      factory({ httpAuth, stores }) {
        const identity = identityFrom(httpAuth);
        return {
          forRequest: (req, options) => getPaletteToken({ req, identity, cache: stores.forProvider(options?.providerId) }),
          middleware: options => createPaletteTokenMiddleware({ identity, cache: stores.forProvider(options?.providerId) }),
        };
      },
    }),
});
