import type { AuthorizationGrant } from './codes';
import { OAuthError } from './oauthError';
import { verifierMatches } from './pkce';
import type { EmulatorState } from './state';
import type { EmulatorClient } from './types';
import type { DirectoryUser } from './users';

/**
 * The authorization_code grant's checks. The code is spent before any check,
 * so a failed attempt cannot be retried with other parameters.
 */
export function redeemCode(
  state: EmulatorState,
  client: EmulatorClient,
  body: Record<string, unknown>,
): { grant: AuthorizationGrant; user: DirectoryUser } {
  if (typeof body.code !== 'string' || !body.code) throw invalidRequest('code is required');
  const grant = state.codes.redeem(body.code);
  if (!grant) throw invalidGrant('the code is invalid, expired or already used');
  if (grant.clientId !== client.clientId) throw invalidGrant('the code was issued to another client');
  if (body.redirect_uri !== grant.redirectUri) throw invalidGrant('redirect_uri does not match the authorization request');
  if (grant.codeChallenge !== undefined) {
    if (!verifierMatches(asText(body.code_verifier), grant.codeChallenge)) throw invalidGrant('code_verifier does not match the code_challenge');
  } else if (body.code_verifier !== undefined) {
    throw invalidGrant('code_verifier sent, but the authorization request had no code_challenge');
  }
  const user = state.users.find(grant.email);
  if (!user) throw invalidGrant('the user no longer exists');
  return { grant, user };
}

function asText(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function invalidGrant(description: string): OAuthError {
  return new OAuthError(400, 'invalid_grant', description);
}

function invalidRequest(description: string): OAuthError {
  return new OAuthError(400, 'invalid_request', description);
}
