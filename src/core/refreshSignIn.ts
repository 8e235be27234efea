import { SpectroCloudAuthError, SpectroCloudNetworkError, SpectroCloudRefreshSessionError } from '../errors';
import type { EnvironmentParts } from '../environment/createEnvironmentParts';
import { checkRefreshedIdToken } from '../oidc/checkRefreshedIdToken';
import { withUserInfo } from '../oidc/fetchUserInfo';
import type { IdTokenClaims } from '../oidc/IdTokenVerifier';
import type { SessionPayload } from '../refreshSession/SealedSession';
import { lastGrant, mayReuseGrant, reusedGrantParams, withRememberedUserInfo } from '../refreshShortcuts/grantReuse';
import { assertSessionLive, refreshTokenEnd, sessionEndOf } from './sessionLifetime';
import type { RefreshGrantResult } from '../refreshShortcuts/ConcurrentRefreshGrants';

export interface RefreshedSignIn {
  claims: IdTokenClaims;
  idToken: string;
  accessToken: string;
  params: Record<string, unknown>;
  sessionEndsAt: number;
  /** the cookie's new content after a real refresh grant; undefined when it stays as it is */
  next?: SessionPayload;
}

/**
 * A refresh from the sealed session: refused past `sessionDuration` or after
 * sign-out (on any replica). SpectroCloud has no refresh grant: its verified
 * ID token is served again, re-verified, until it expires. A standard issuer's
 * refresh token is used, and the new ID token must be about the same user.
 */
export async function refreshSignIn(parts: EnvironmentParts, payload: SessionPayload, scope: string | undefined): Promise<RefreshedSignIn> {
  await assertSessionLive(parts, payload);
  const sessionEndsAt = sessionEndOf(parts, payload);
  if (payload.kind === 'id-token') {
    const claims = await reverify(parts, payload.idToken);
    return { claims, idToken: payload.idToken, accessToken: payload.accessToken ?? '', params: {}, sessionEndsAt };
  }
  // A refresh soon after the last grant serves its still valid tokens again (refreshGrantInterval).
  if (mayReuseGrant(payload.lastGrant, parts.clock(), parts.config.refreshGrantInterval * 1000)) {
    const claims = withRememberedUserInfo(await reverify(parts, payload.idToken), payload.lastGrant);
    const params = reusedGrantParams(payload.lastGrant, parts.clock());
    return { claims, idToken: payload.idToken, accessToken: payload.accessToken ?? '', params, sessionEndsAt };
  }
  // One grant per presented refresh token, however many tabs or replicas refresh at once (rotation with reuse detection).
  const context = `${parts.providerId}:${parts.environment}:${payload.sessionId}`;
  const { result } = await parts.refreshGrants.run(payload.refreshToken, context, () => grantRefresh(parts, payload, scope));
  // The grant, or the wait for another's, may have outlasted a sign-out: sign-out ends everything at once.
  await assertSessionLive(parts, payload);
  const verified = await reverify(parts, result.idToken);
  checkRefreshedIdToken(payload.idToken, verified);
  const { refreshToken, idToken, accessToken, lastGrant: grant, refreshTokenEndsAt } = result;
  const next: SessionPayload = { ...payload, refreshToken, idToken, accessToken, lastGrant: grant, refreshTokenEndsAt };
  return {
    claims: withRememberedUserInfo(verified, result.lastGrant),
    idToken: result.idToken,
    accessToken: result.accessToken,
    // expires_in from the grant's own lifetimes, whoever made it (the ID token's or the access token's end, the earlier)
    params: { ...result.params, ...reusedGrantParams(result.lastGrant, parts.clock()) },
    sessionEndsAt: sessionEndOf(parts, next),
    next,
  };
}

/** The refresh_token grant at the IdP: the new ID token verified, about the same user, with userinfo's claims. */
async function grantRefresh(parts: EnvironmentParts, payload: SessionPayload & { kind: 'refresh-token' }, scope: string | undefined): Promise<RefreshGrantResult> {
  const { tokenUrl, userinfoUrl } = await parts.endpoints.resolve();
  const refreshed = await parts.strategyFor(tokenUrl).refreshTokens(payload.refreshToken, scope || undefined);
  const idToken = typeof refreshed.params.id_token === 'string' ? refreshed.params.id_token : payload.idToken;
  const verified = await reverify(parts, idToken);
  checkRefreshedIdToken(payload.idToken, verified);
  const claims = await withUserInfo(verified, userinfoUrl, refreshed.accessToken, parts.http);
  const { scope: granted, token_type: tokenType, expires_in: expiresIn } = refreshed.params as Record<string, unknown>;
  return {
    refreshToken: refreshed.refreshToken ?? payload.refreshToken,
    idToken,
    accessToken: refreshed.accessToken,
    // Only what the answer needs: the shared copy must hold no token beyond the three above.
    params: { ...(typeof granted === 'string' ? { scope: granted } : {}), ...(typeof tokenType === 'string' ? { token_type: tokenType } : {}) },
    lastGrant: lastGrant({ now: parts.clock(), verified, claims, expiresIn }),
    // A rotated refresh token brings its own lifetime; a kept one keeps the old.
    refreshTokenEndsAt: refreshed.refreshToken ? refreshTokenEnd(parts.clock(), refreshed.params) : payload.refreshTokenEndsAt,
  };
}

/** A stored ID token is served again only after full verification; expiry ends the session. */
async function reverify(parts: EnvironmentParts, idToken: string): Promise<IdTokenClaims> {
  try {
    return await parts.verifier.verify(idToken);
  } catch (error) {
    if ((error as SpectroCloudAuthError).code === 'ERR_ID_TOKEN_EXPIRED') {
      throw new SpectroCloudRefreshSessionError('ERR_SESSION_EXPIRED', 'Your SpectroCloud session has expired; sign in again', { cause: error });
    }
    // SpectroCloud or its keys are out of reach for now: the session itself may be fine.
    if (error instanceof SpectroCloudNetworkError) throw error;
    throw new SpectroCloudRefreshSessionError('ERR_SESSION_UNVERIFIABLE', 'The SpectroCloud session could not be verified; sign in again', { cause: error });
  }
}
