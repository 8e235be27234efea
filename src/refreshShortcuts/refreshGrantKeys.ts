import { hkdfSync } from 'node:crypto';

/** Where one presented refresh token's grant is coordinated, and the key its shared result is sealed with. */
export interface RefreshGrantKeys {
  /** names the grant in the store and in this process: never the token itself */
  id: string;
  /** AES-256 key of the shared result: only a holder of the presented refresh token can open it */
  sealKey: Buffer;
}

/**
 * Both keys come from the presented refresh token by HKDF, bound to the
 * provider, environment and session (`context`): the same token in another
 * session or tenant never meets this grant, and the store learns neither
 * the token nor, without it, the rotated token it keeps.
 */
export function refreshGrantKeys(refreshToken: string, context: string): RefreshGrantKeys {
  const derive = (purpose: string) => Buffer.from(hkdfSync('sha256', refreshToken, context, `refresh-grant-${purpose}-v1`, 32));
  return { id: derive('id').toString('base64url'), sealKey: derive('seal') };
}
