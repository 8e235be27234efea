import { SpectroCloudTokenError } from '../errors';
import type { OutboundClient } from '../http/OutboundClient';
import type { IdTokenClaims } from './IdTokenVerifier';

const PROFILE_CLAIMS = ['email', 'email_verified', 'name', 'given_name', 'family_name', 'picture', 'groups'] as const;

/**
 * Standard issuers may keep profile claims out of the ID token and serve them
 * at the userinfo endpoint instead (SpectroCloud puts them in the ID token).
 * Only profile claims are taken, and only when userinfo's `sub` is the
 * verified ID token's (OIDC Core 5.3.2).
 */
export async function addUserInfoClaims(
  claims: IdTokenClaims,
  userinfoUrl: string | undefined,
  accessToken: string,
  http: OutboundClient,
): Promise<IdTokenClaims> {
  if (claims.email || !userinfoUrl || !accessToken) return claims;
  let body: Record<string, unknown>;
  try {
    const response = await http.request('userinfo', userinfoUrl, {
      headers: { Authorization: `Bearer ${accessToken}`, Accept: 'application/json' },
    });
    const json = response.json();
    if (response.status !== 200 || !json || typeof json !== 'object') return claims;
    body = json as Record<string, unknown>;
  } catch {
    return claims; // the missing email is reported by the profile step
  }
  if (body.sub !== claims.sub) {
    throw new SpectroCloudTokenError('ERR_ID_TOKEN_CLAIM', 'unexpected "sub" claim value: the userinfo answer is for another subject than the ID token', { claim: 'sub' });
  }
  const profile = Object.fromEntries(PROFILE_CLAIMS.filter(claim => body[claim] !== undefined).map(claim => [claim, body[claim]]));
  return { ...claims, ...profile };
}
