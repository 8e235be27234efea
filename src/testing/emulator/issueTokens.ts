import { randomBytes } from 'node:crypto';
import { idTokenClaims } from './claims';
import type { AuthorizationGrant } from './codes';
import { signJwt } from './signJwt';
import type { EmulatorState } from './state';
import type { IdTokenFaultContext } from './types';
import type { DirectoryUser } from './users';

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  id_token: string;
  /** Palette's HS256 Palette token, not an OAuth refresh token. */
  refresh_token: string;
  scope: string;
}

export function issueTokens(
  state: EmulatorState,
  grant: AuthorizationGrant,
  user: DirectoryUser,
  grantType: IdTokenFaultContext['grantType'] = 'authorization_code',
): TokenResponse {
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
    id_token: buildIdToken(state, claims, grantType),
    refresh_token: refreshTokenFor(state, grant, user, now),
    scope: grant.scope,
  };
}

/** The real signed token, unless a test installed an `idToken` fault to forge one. */
function buildIdToken(state: EmulatorState, claims: Record<string, unknown>, grantType: IdTokenFaultContext['grantType']): string {
  const sign = (c: Record<string, unknown>, opts?: Parameters<typeof signJwt>[2]) => signJwt(c, state.keys.current, opts);
  const forge = state.faults.idToken;
  return forge ? forge({ claims, sign, grantType }) : sign(claims);
}

/**
 * Palette's `refresh_token` is its HS256 Palette token (the same one when the
 * code was it); with the `refreshTokenGrant` option, an opaque OAuth refresh
 * token that continues this sign-in (OIDC Core 12.2: no nonce the second time).
 */
function refreshTokenFor(state: EmulatorState, grant: AuthorizationGrant, user: DirectoryUser, now: number): string {
  if (!state.options.refreshTokenGrant) return grant.paletteToken ?? state.paletteTokens.issue(user, state.options.paletteTokenTtlSeconds, now);
  const { paletteToken: _paletteToken, nonce: _nonce, ...continued } = grant;
  const refreshToken = randomBytes(32).toString('base64url');
  state.refreshTokens.set(refreshToken, continued);
  return refreshToken;
}
