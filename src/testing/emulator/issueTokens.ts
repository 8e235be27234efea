import { randomBytes } from 'node:crypto';
import { idTokenClaims } from './claims';
import type { AuthorizationGrant } from './codes';
import { signJwt } from './signJwt';
import type { EmulatorState } from './state';
import type { DirectoryUser } from './users';

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  id_token: string;
  /** Palette's HS256 session token, not an OAuth refresh token. */
  refresh_token: string;
  scope: string;
}

export function issueTokens(state: EmulatorState, grant: AuthorizationGrant, user: DirectoryUser): TokenResponse {
  const ttl = state.options.idTokenTtlSeconds;
  const now = Math.floor(state.options.clock() / 1000);
  const claims = idTokenClaims(user, {
    issuer: state.urls.issuer,
    clientId: grant.clientId,
    ttlSeconds: ttl,
    now,
    authTime: grant.authTime,
    scope: grant.scope,
    nonce: grant.nonce,
    acr: grant.acr,
    padBytes: state.faults.idTokenPadBytes,
  });
  const accessToken = randomBytes(32).toString('base64url');
  state.accessTokens.set(accessToken, { email: user.email, clientId: grant.clientId, scope: grant.scope });
  return {
    access_token: accessToken,
    token_type: 'Bearer',
    expires_in: ttl,
    id_token: buildIdToken(state, claims),
    // Where the code was the session token, the tenant hands the same one back.
    refresh_token: grant.sessionToken ?? state.sessionTokens.issue(user, state.options.sessionTokenTtlSeconds, now),
    scope: grant.scope,
  };
}

/** The real signed token, unless a test installed an `idToken` fault to forge one. */
function buildIdToken(state: EmulatorState, claims: Record<string, unknown>): string {
  const sign = (c: Record<string, unknown>, opts?: Parameters<typeof signJwt>[2]) => signJwt(c, state.keys.current, opts);
  const forge = state.faults.idToken;
  return forge ? forge({ claims, sign }) : sign(claims);
}
