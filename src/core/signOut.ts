import type { EnvironmentParts } from '../environment/createEnvironmentParts';
import { revokeRefreshToken } from '../oidc/revokeRefreshToken';
import type { SessionPayload } from '../refreshSession/SealedSession';
import { recordSignOut } from './sessionLifetime';

/**
 * Ends a session server-side: recorded as revoked in the shared store (every
 * replica refuses a copied cookie), and a real refresh token revoked at the
 * issuer; sign-out goes on if the issuer cannot be reached.
 */
export async function signOut(parts: EnvironmentParts, payload: SessionPayload): Promise<void> {
  await recordSignOut(parts, payload);
  if (payload.kind !== 'refresh-token') return;
  const { revocationUrl } = await parts.endpoints.resolve();
  if (!revocationUrl) return;
  const outcome = await revokeRefreshToken(revocationUrl, payload.refreshToken, parts.config, parts.http);
  if (!outcome.ok) parts.logger.warn(`Could not revoke the refresh token at sign-out (${outcome.reason})`);
}
