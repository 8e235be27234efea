import { createHash } from 'node:crypto';

/** RFC 7636 S256: BASE64URL(SHA256(verifier)). The only method Palette accepts. */
export function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

export function verifierMatches(verifier: string | undefined, challenge: string): boolean {
  return typeof verifier === 'string' && /^[A-Za-z0-9._~-]{43,128}$/.test(verifier) && s256(verifier) === challenge;
}
