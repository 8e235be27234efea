import { isSpectroCloudSessionToken } from '../sessionToken/sessionTokenDetection';

/**
 * SpectroCloud hands out its HS256 session token as the `refresh_token`, and
 * some tenants as the authorization code too; nothing else is sniffed for it.
 */
export function findSessionToken(...candidates: unknown[]): string | undefined {
  return candidates.find(isSpectroCloudSessionToken) as string | undefined;
}
