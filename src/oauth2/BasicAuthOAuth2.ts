import querystring from 'node:querystring';
import type { oauth2tokenCallback } from 'oauth';
import type { OutboundClient } from '../http/OutboundClient';
import { basicAuthorization } from '../oidc/clientAuthentication';
import { OutboundOAuth2 } from './OutboundOAuth2';

/**
 * node-oauth always copies the client secret into the token request body.
 * With `client_secret_basic` it must travel only in the Authorization
 * header (RFC 6749 section 2.3.1: one authentication method per request),
 * so this client builds the body without it and leaves the HTTP work to
 * {@link OutboundOAuth2}.
 */
export class BasicAuthOAuth2 extends OutboundOAuth2 {
  constructor(http: OutboundClient, clientId: string, clientSecret: string, authorizeUrl: string, tokenUrl: string) {
    super(http, clientId, '', authorizeUrl, tokenUrl, { Authorization: basicAuthorization(clientId, clientSecret) });
  }

  override getOAuthAccessToken(code: string, params: any, callback?: oauth2tokenCallback): void {
    const codeParam = params.grant_type === 'refresh_token' ? 'refresh_token' : 'code';
    const body = querystring.stringify({ ...params, [codeParam]: code } as querystring.ParsedUrlQueryInput);
    this._request(
      'POST',
      this._getAccessTokenUrl(),
      { 'Content-Type': 'application/x-www-form-urlencoded' },
      body,
      null,
      (error, data) => {
        if (error) {
          callback?.(error);
          return;
        }
        let results: Record<string, any>;
        try {
          results = JSON.parse(String(data));
        } catch {
          results = querystring.parse(String(data));
        }
        const { access_token: accessToken, refresh_token: refreshToken, ...rest } = results;
        callback?.(null as unknown as Error, accessToken, refreshToken, rest);
      },
    );
  }
}
