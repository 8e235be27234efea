import type { OutboundClient, OutboundResponse } from '../../http/OutboundClient';
import { SpectroCloudNetworkError } from '../../errors';

export interface PaletteApiRequest {
  method?: 'GET' | 'POST';
  /** JSON body (POST) */
  body?: unknown;
  /** Palette's `ProjectUid` header: act within this project instead of the tenant. */
  projectUid?: string;
}

/**
 * Palette's REST API at one base URL, through the package's one outbound
 * client (deadline, size limit, proxy, CA). The user's Palette token goes in
 * `Authorization` as is, no `Bearer` (the API spec's `Authorization` scheme);
 * a service API key goes in `ApiKey`.
 */
export class PaletteApi {
  constructor(
    /** e.g. https://console.spectrocloud.com (no trailing slash) */
    readonly baseUrl: string,
    private readonly outbound: OutboundClient,
  ) {}

  /**
   * `GET /v1/auth/refresh/{token}`: a new token of the same Palette session.
   * Undefined when Palette refuses (401/403/404: expired or signed out);
   * throws {@link SpectroCloudNetworkError} when it cannot be asked (unreachable, 5xx, unusable answer).
   */
  async renew(paletteToken: string): Promise<string | undefined> {
    const answer = await this.outbound.request('paletteApi', `${this.baseUrl}/v1/auth/refresh/${encodeURIComponent(paletteToken)}`, {
      headers: { Accept: 'application/json' },
    });
    if (answer.status >= 400 && answer.status < 500) return undefined;
    const renewed = (answer.json() as { Authorization?: unknown } | undefined)?.Authorization;
    if (answer.status !== 200 || typeof renewed !== 'string' || renewed === '') {
      throw new SpectroCloudNetworkError(
        'ERR_ENDPOINT_UNREACHABLE',
        `SpectroCloud Palette's API answered the Palette-token renewal with ${answer.status} and no new token`,
        { endpoint: 'paletteApi' },
      );
    }
    return renewed;
  }

  /** One call as the holder of `credential`; the HTTP status is returned, not thrown. */
  call(credential: { paletteToken: string } | { apiKey: string }, path: string, request: PaletteApiRequest = {}): Promise<OutboundResponse> {
    if (!path.startsWith('/v1/')) throw new TypeError(`Palette API paths start with /v1/, got "${path.slice(0, 40)}"`);
    const headers: Record<string, string> = { Accept: 'application/json' };
    if ('paletteToken' in credential) headers.Authorization = credential.paletteToken;
    else headers.ApiKey = credential.apiKey;
    if (request.projectUid) headers.ProjectUid = request.projectUid;
    if (request.body !== undefined) headers['Content-Type'] = 'application/json';
    return this.outbound.request('paletteApi', `${this.baseUrl}${path}`, {
      method: request.method ?? 'GET',
      headers,
      ...(request.body !== undefined && { body: JSON.stringify(request.body) }),
    });
  }
}
