import type { Request, RequestHandler } from 'express';
import { coreServices, createServiceFactory, createServiceRef, type HttpAuthService } from '@backstage/backend-plugin-api';
import { getPaletteToken, type BackstageIdentityVerifier, type PaletteTokenGrant } from '../paletteTokens/handoff/handoff';
import { createPaletteTokenMiddleware } from '../paletteTokens/handoff/middleware';
import { paletteTokenCachesServiceRef } from './storesService';

/**
 * The Palette token of the request's signed-in user, for backend plugins of
 * the new backend system. Why public: what a plugin depending on
 * {@link paletteTokenServiceRef} gets.
 *
 * @public
 */
export interface PaletteTokenService {
  /**
   * The token of the user whose Backstage credentials the request carries
   * (`httpAuth`), looked up by that user only.
   *
   * @throws SpectroCloudAuthError with `code` `ERR_BACKSTAGE_TOKEN_MISSING` / `ERR_BACKSTAGE_TOKEN_INVALID` (401)
   * no or unverifiable Backstage user token; `ERR_USER_EMAIL_MISMATCH` (403) `X-SpectroCloud-User-Email`
   * names someone else; `ERR_SPECTROCLOUD_REAUTH_REQUIRED` (401) no Palette token for the user;
   * `ERR_TOKEN_STORE_UNAVAILABLE` (503) the store cannot be read
   */
  forRequest(req: Request, options?: { providerId?: string }): Promise<PaletteTokenGrant>;
  /**
   * Express middleware with the legacy middleware's answers: on success
   * `res.locals.spectroCloudToken`; 401 with `X-SpectroCloud-ReAuth-Required:
   * true` when the user must sign in with SpectroCloud again; 403; 503.
   */
  middleware(options?: { providerId?: string }): RequestHandler;
}

/** The request's user from `httpAuth`; only user principals have a Palette token. */
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
 * Why public: the new backend system's way to the Palette token.
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

/** @deprecated Use {@link paletteTokenServiceRef}, the same service. @public */
export const spectroCloudSessionTokenServiceRef = paletteTokenServiceRef;
/** @deprecated Use {@link PaletteTokenService}. @public */
export type SpectroCloudSessionTokenService = PaletteTokenService;
