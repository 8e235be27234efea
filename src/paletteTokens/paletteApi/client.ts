import type { Request } from 'express';
import { SpectroCloudReAuthRequiredError } from '../errors';
import { getSpectroCloudToken, type SpectroCloudTokenHandoffOptions } from '../handoff/handoff';
import type { PaletteApiRequest } from './paletteApi';
import { PaletteSessionTokenCache } from './paletteSessionTokenCache';

/** @public */
export type PaletteApiClientOptions = SpectroCloudTokenHandoffOptions;

/** What Palette answered. @public */
export interface PaletteApiResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text(): string;
  /** The body as JSON, or undefined when it is not JSON. */
  json(): unknown;
}

/** @public */
export interface PaletteApiClient {
  /**
   * Calls Palette's API (`path` starts with `/v1/`) as the request's verified
   * user. Palette's 401 is answered by renewing the session token once and
   * retrying; when that cannot help, throws {@link SpectroCloudReAuthRequiredError}
   * (turned into 401 + `X-SpectroCloud-ReAuth-Required` by the middleware's error handler).
   * Other statuses are returned as they are.
   */
  request(req: Request, path: string, request?: PaletteApiRequest): Promise<PaletteApiResponse>;
}

/**
 * A small client of Palette's API for backend plugins, on the cache
 * `createSessionTokenCache` built (it knows the Palette API and renews tokens).
 * Bounded like every outbound call of this package (deadline, size limit,
 * proxy, CA of the provider's environment block).
 *
 * @public
 */
export function createPaletteApiClient(options: PaletteApiClientOptions): PaletteApiClient {
  const { cache, metrics } = options;
  if (!(cache instanceof PaletteSessionTokenCache)) {
    throw new TypeError(
      "createPaletteApiClient needs the cache of createSessionTokenCache(config) built from the backend's whole config " +
        '(it reads Palette\'s address from auth.providers.<providerId>.<auth.environment>.authorizationUrl)',
    );
  }
  return {
    async request(req, path, request = {}) {
      const grant = await getSpectroCloudToken({ ...options, req });
      if (grant.source === 'service-token') return cache.palette.call({ apiKey: grant.token }, path, request);
      const answer = await cache.palette.call({ sessionToken: grant.token }, path, request);
      if (answer.status !== 401) return answer;
      const renewed = await cache.renewAfterRefusal(grant.userEntityRef, grant.token);
      if (renewed) {
        const retried = await cache.palette.call({ sessionToken: renewed.sessionToken }, path, request);
        if (retried.status !== 401) return retried;
      }
      metrics?.recordHandoff('reAuthRequired');
      throw new SpectroCloudReAuthRequiredError(
        'SpectroCloud no longer accepts your session and it could not be renewed; sign in with SpectroCloud again',
      );
    },
  };
}
