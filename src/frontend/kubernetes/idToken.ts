import type { AuthRequestOptions, OpenIdConnectApi } from '@backstage/core-plugin-api';
import { SpectroCloudIdTokenError } from '../errors';

/**
 * Gets the user's ID token and refuses anything else. Palette's ID token is
 * RS256-signed; its Palette token (HS256) must never leave for a cluster.
 * This reads the JWT header to tell the two apart: it verifies nothing (the
 * Kubernetes API server does that).
 */
export async function getSpectroCloudIdToken(
  api: OpenIdConnectApi,
  allowedAlgorithms: readonly string[],
  options?: AuthRequestOptions,
): Promise<string> {
  const token = await api.getIdToken(options);
  if (!token) {
    throw new SpectroCloudIdTokenError('ERR_ID_TOKEN_MISSING', 'SpectroCloud returned no ID token for this session');
  }
  const alg = headerAlgorithm(token);
  if (!allowedAlgorithms.includes(alg)) {
    throw new SpectroCloudIdTokenError(
      'ERR_ID_TOKEN_ALGORITHM',
      `refusing a SpectroCloud token signed with "${alg}": expected an ID token signed with ${allowedAlgorithms.join(' or ')}`,
    );
  }
  return token;
}

function headerAlgorithm(token: string): string {
  const segments = token.split('.');
  let alg: unknown;
  if (segments.length === 3) {
    try {
      alg = JSON.parse(atob(segments[0].replace(/-/g, '+').replace(/_/g, '/'))).alg;
    } catch {
      alg = undefined; // reported below: not a JWT header
    }
  }
  if (typeof alg !== 'string') {
    throw new SpectroCloudIdTokenError('ERR_ID_TOKEN_MALFORMED', 'the SpectroCloud ID token is not a JWT with an "alg" header');
  }
  return alg;
}
