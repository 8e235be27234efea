import type { SpectroCloudEnvironmentConfig } from '../config/readEnvironmentConfig';
import { SpectroCloudAuthError } from '../errors';
import type { OutboundClient } from '../http/OutboundClient';
import { clientAuthentication } from './clientAuthentication';

/**
 * RFC 7009 revocation of a real refresh token at sign-out, so a copy of the
 * session cookie taken before sign-out stops working at the issuer too.
 * Best effort: the outcome is returned, never thrown, and never carries the token.
 */
export async function revokeRefreshToken(
  revocationUrl: string,
  refreshToken: string,
  config: Pick<SpectroCloudEnvironmentConfig, 'clientId' | 'clientSecret' | 'tokenEndpointAuthMethod'>,
  http: OutboundClient,
): Promise<{ ok: true } | { ok: false; reason: string }> {
  const auth = clientAuthentication(config.tokenEndpointAuthMethod, config.clientId, config.clientSecret);
  try {
    const response = await http.request('revocation', revocationUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...auth.headers },
      body: new URLSearchParams({ token: refreshToken, token_type_hint: 'refresh_token', ...auth.body }).toString(),
    });
    return response.status >= 200 && response.status < 300 ? { ok: true } : { ok: false, reason: `HTTP ${response.status}` };
  } catch (error) {
    return { ok: false, reason: SpectroCloudAuthError.from(error).code };
  }
}
