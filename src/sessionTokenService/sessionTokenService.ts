import type { Request, RequestHandler } from 'express';
import { coreServices, createServiceFactory, createServiceRef, type HttpAuthService } from '@backstage/backend-plugin-api';
import { getSpectroCloudToken, type LegacyIdentityVerifier, type SpectroCloudTokenGrant } from '../paletteTokens/handoff/handoff';
import { createSpectroCloudTokenMiddleware } from '../paletteTokens/handoff/middleware';
import { sessionTokenStoresServiceRef } from './storesService';

/**
 * SpectroCloud's session token of the request's signed-in user, for backend
 * plugins of the new backend system.
 *
 * @public
 */
export interface SpectroCloudSessionTokenService {
  /**
   * The token of the user whose Backstage credentials the request carries
   * (`httpAuth`), looked up by that user only.
   *
   * @throws SpectroCloudAuthenticationError (401) no or unverifiable Backstage user token
   * @throws SpectroCloudNotAllowedError (403) `X-SpectroCloud-User-Email` names someone else
   * @throws SpectroCloudReAuthRequiredError (401) no SpectroCloud session for the user
   * @throws SpectroCloudTokenStoreError (503) the store cannot be read
   */
  forRequest(req: Request, options?: { providerId?: string }): Promise<SpectroCloudTokenGrant>;
  /**
   * Express middleware with the legacy middleware's answers: on success
   * `res.locals.spectroCloudToken`; 401 with `X-SpectroCloud-ReAuth-Required:
   * true` when the user must sign in with SpectroCloud again; 403; 503.
   */
  middleware(options?: { providerId?: string }): RequestHandler;
}

/** The request's user from `httpAuth`; only user principals have a SpectroCloud session. */
function identityFrom(httpAuth: HttpAuthService): LegacyIdentityVerifier {
  return {
    async getIdentity({ request }) {
      const credentials = await httpAuth.credentials(request as Request, { allow: ['user'] });
      return { identity: { userEntityRef: credentials.principal.userEntityRef } };
    },
  };
}

/**
 * Depend on it in a backend plugin: `deps: { spectroCloud: spectroCloudSessionTokenServiceRef }`.
 * It reads the store the SpectroCloud auth module writes (same `tokenStore` config).
 *
 * @public
 */
export const spectroCloudSessionTokenServiceRef = createServiceRef<SpectroCloudSessionTokenService>({
  id: 'spectrocloud.session-tokens',
  scope: 'plugin',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: { httpAuth: coreServices.httpAuth, stores: sessionTokenStoresServiceRef },
      factory({ httpAuth, stores }) {
        const identity = identityFrom(httpAuth);
        return {
          forRequest: (req, options) => getSpectroCloudToken({ req, identity, cache: stores.forProvider(options?.providerId) }),
          middleware: options => createSpectroCloudTokenMiddleware({ identity, cache: stores.forProvider(options?.providerId) }),
        };
      },
    }),
});
