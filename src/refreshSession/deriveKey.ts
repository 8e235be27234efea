import { hkdfSync } from 'node:crypto';

/**
 * Keys for our own cookies come from the client secret: every replica has
 * it, it survives restarts, and it never leaves the server. One key per
 * purpose, so a value made for one use can never be replayed as another.
 */
export function deriveKey(clientSecret: string, purpose: 'browser-binding' | 'refresh-cookie'): Buffer {
  return Buffer.from(hkdfSync('sha256', clientSecret, 'backstage-spectrocloud-auth', `${purpose}-v1`, 32));
}
