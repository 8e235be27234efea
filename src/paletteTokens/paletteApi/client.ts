import type { ErrorRequestHandler, Request } from 'express';
import { SpectroCloudReAuthRequiredError } from '../errors';
import { getPaletteToken, type PaletteTokenHandoffOptions } from '../handoff/handoff';
import { createSpectroCloudErrorHandler } from '../handoff/middleware';
import type { PaletteTokenCache, PaletteTokenRecord } from '../stores/paletteTokenCache';
import type { PaletteTokenRenewal } from './renewal';

/**
 * Why public: a backend plugin calls Palette's API as the request's user with it.
 *
 * @public
 */
export interface PaletteApiClient {
  /**
   * Calls Palette's API (`path` starts with `/v1/`) as the request's verified
   * user. Palette's 401 is answered by renewing the Palette token once and
   * retrying; when that cannot help, throws a `SpectroCloudAuthError` with code
   * `ERR_SPECTROCLOUD_REAUTH_REQUIRED` (turned into 401 + `X-SpectroCloud-ReAuth-Required`
   * by {@link PaletteApiClient.errorHandler}). Other statuses are returned as they are.
   */
  request(
    req: Request,
    path: string,
    request?: {
      method?: 'GET' | 'POST';
      /** JSON body (POST) */
      body?: unknown;
      /** Palette's `ProjectUid` header: act within this project instead of the tenant. */
      projectUid?: string;
    },
  ): Promise<{
    status: number;
    headers: Record<string, string | string[] | undefined>;
    text(): string;
    /** The body as JSON, or undefined when it is not JSON. */
    json(): unknown;
  }>;
  /**
   * Express error handler for the plugin's routes: answers this package's errors
   * thrown after the middleware (e.g. by `request`) exactly as the middleware
   * does (401 + `X-SpectroCloud-ReAuth-Required`, 503 + `Retry-After`...), and
   * passes every other error on. Mount it after the routes.
   */
  errorHandler(): ErrorRequestHandler;
}

/**
 * A small client of Palette's API for backend plugins, on the cache
 * `createPaletteTokenCache` built (it knows the Palette API and renews tokens).
 * Bounded like every outbound call of this package (deadline, size limit,
 * proxy, CA of the provider's environment block). Why public: the way a
 * plugin calls Palette as the user, with renewal and re-authentication handled.
 *
 * @public
 */
export function createPaletteApiClient(options: PaletteTokenHandoffOptions): PaletteApiClient {
  const { cache, metrics } = options;
  // The cache says by its type whether it reaches Palette: only createPaletteTokenCache(config) gives it the API.
  const palette = cache.palette;
  if (!palette) {
    throw new TypeError(
      "createPaletteApiClient needs the cache of createPaletteTokenCache(config) built from the backend's whole config " +
        '(it reads Palette\'s address from auth.providers.<providerId>.<auth.environment>.authorizationUrl)',
    );
  }
  return {
    errorHandler: createSpectroCloudErrorHandler,
    async request(req, path, request = {}) {
      const grant = await getPaletteToken({ ...options, req });
      if (grant.source === 'service-token') return palette.api.call({ apiKey: grant.token }, path, request);
      const answer = await palette.api.call({ paletteToken: grant.token }, path, request);
      if (answer.status !== 401) return answer;
      const renewed = await renewAfterRefusal(cache, palette.renewal, grant.userEntityRef, grant.token);
      if (renewed) {
        const retried = await palette.api.call({ paletteToken: renewed.sessionToken }, path, request);
        if (retried.status !== 401) return retried;
      }
      metrics?.recordHandoff('reAuthRequired');
      throw new SpectroCloudReAuthRequiredError(
        'SpectroCloud no longer accepts your Palette token and it could not be renewed; sign in with SpectroCloud again',
      );
    },
  };
}

/**
 * A token Palette just answered 401 to, renewed (or the one another caller
 * stored meanwhile); undefined when there is nothing newer to try.
 */
async function renewAfterRefusal(
  cache: PaletteTokenCache,
  renewal: PaletteTokenRenewal | undefined,
  userEntityRef: string,
  refusedToken: string,
): Promise<PaletteTokenRecord | undefined> {
  const stored = await cache.storedForUser(userEntityRef);
  if (!stored) return undefined;
  if (stored.sessionToken !== refusedToken) return stored;
  return renewal?.now(stored);
}
