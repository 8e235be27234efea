import { OAuth2, type dataCallback } from 'oauth';
import type { OutgoingHttpHeaders } from 'node:http';
import type { OutboundClient } from '../http/OutboundClient';

/**
 * node-oauth's client with its one HTTP hook, `_request`, sending through
 * our {@link OutboundClient}: node-oauth itself sets no deadline and reads
 * any body whole. Its callback contract is kept (`{ statusCode, data }` for
 * an HTTP error status, the body otherwise), so passport-oauth2 and
 * translateStrategyError see what they always saw; transport failures
 * arrive as our coded errors.
 */
export class OutboundOAuth2 extends OAuth2 {
  constructor(
    private readonly http: OutboundClient,
    clientId: string,
    clientSecret: string,
    authorizeUrl: string,
    tokenUrl: string,
    customHeaders?: OutgoingHttpHeaders,
  ) {
    super(clientId, clientSecret, '', authorizeUrl, tokenUrl, customHeaders);
  }

  protected override _request(
    method: string,
    url: string,
    headers: OutgoingHttpHeaders | null,
    postBody: unknown,
    _accessToken: string | null,
    callback: dataCallback,
  ): void {
    const merged: Record<string, string> = {};
    for (const [name, value] of Object.entries({ ...this._customHeaders, ...headers })) {
      if (value !== undefined) merged[name] = String(value);
    }
    this.http
      .request('token', url, {
        method: method === 'POST' ? 'POST' : 'GET',
        headers: merged,
        body: typeof postBody === 'string' && postBody ? postBody : undefined,
      })
      .then(
        response => {
          const data = response.text();
          const ok = (response.status >= 200 && response.status <= 299) || response.status === 301 || response.status === 302;
          if (ok) callback(null as never, data);
          else callback({ statusCode: response.status, data });
        },
        error => callback(error),
      );
  }
}
