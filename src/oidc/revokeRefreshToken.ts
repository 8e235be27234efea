import type { SpectroCloudEnvironmentConfig } from '../config/readEnvironmentConfig';
import { clientAuthentication } from './clientAuthentication';

/**
 * RFC 7009 revocation of a real refresh token at sign-out, so a copy of the
 * session cookie taken before sign-out stops working at the issuer too.
 * Best effort: the outcome is returned, never thrown, and never carries the token.
 */
export async function revokeRefreshToken(
  revocationUrl: string,
  refreshToken: string,
  config: Pick<SpectroCloudEnvironmentConfig, 'clientId' | 'clientSecret' | 'tokenEndpointAuthMethod' | 'timeout'>,
): Promise<{ ok: true } | { ok: false; reason: string }> {
  const auth = clientAuthentication(config.tokenEndpointAuthMethod, config.clientId, config.clientSecret);
  try {
    const response = await fetch(revocationUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...auth.headers },
      body: new URLSearchParams({ token: refreshToken, token_type_hint: 'refresh_token', ...auth.body }),
      signal: AbortSignal.timeout(config.timeout),
    });
    return response.ok ? { ok: true } : { ok: false, reason: `HTTP ${response.status}` };
  } catch (error) {
    return { ok: false, reason: (error as Error).name };
  }
}
