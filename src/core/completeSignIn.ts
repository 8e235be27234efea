import type { Request } from 'express';
import { SpectroCloudRequestError } from '../errors';
import type { EnvironmentParts } from '../environment/createEnvironmentParts';
import { checkAuthorizationResponseIssuer } from '../oidc/checkAuthorizationResponseIssuer';
import { withUserInfo } from '../oidc/fetchUserInfo';
import type { IdTokenClaims } from '../oidc/IdTokenVerifier';
import { readEmail } from '../profile';
import { findPaletteToken } from '../paletteTokens/capture/capture';
import { newSessionId } from '../refreshSession/RevokedSessions';
import { lastGrant } from '../refreshShortcuts/grantReuse';
import type { SessionPayload } from '../refreshSession/SealedSession';
import { runStrategy } from '../strategy/runStrategy';
import type { SpectroCloudTokenSet } from '../strategy/SpectroCloudStrategy';
import { assertRedirectAllowed, type RedirectState } from './assertRedirectAllowed';
import { durationEndsAt, refreshTokenEnd, sessionEndOf } from './sessionLifetime';
import { strategyBackstopMs } from './startSignIn';

/** A verified sign-in, before anyone resolved the Backstage identity. */
export interface CompletedSignIn {
  claims: IdTokenClaims;
  idToken: string;
  accessToken: string;
  params: Record<string, unknown>;
  email: string;
  /** the random id of this sign-in (sign-out revokes it) */
  sessionId: string;
  /** SpectroCloud's HS256 session token, when its answer carried one (never a real refresh token) */
  sessionToken?: string;
  /** epoch ms: the earlier of the ID token's expiry and `sessionDuration` (when the session token may be kept until) */
  keepSessionTokenUntil: number;
  /** the refresh cookie's content, once the identity is known (`userEntityRef`) */
  session(userEntityRef: string | undefined): SessionPayload;
  /** epoch ms when the session ends past any silent renewal (`sessionEndOf`) */
  sessionEndsAt: number;
}

/**
 * The callback: the code is exchanged with the PKCE verifier of this
 * browser's nonce cookie, the ID token verified (nonce included) before
 * anything reads it, RFC 6749 errors translated by the strategy runner.
 * `readState` decodes the callback's state (after the missing-code check).
 */
export async function completeSignIn(
  parts: EnvironmentParts,
  req: Request,
  readState: (raw: string) => RedirectState,
  isOriginAllowed?: (origin: string) => boolean,
): Promise<CompletedSignIn> {
  const query = req.query as Record<string, unknown>;
  const code = query.code ?? (req.body as Record<string, unknown> | undefined)?.code;
  if (!code && !query.error) {
    throw new SpectroCloudRequestError('ERR_MISSING_CODE', 'The sign-in callback carried no authorization code; start the sign-in again');
  }
  assertRedirectAllowed(readState(String(query.state ?? '')), parts.appUrl, isOriginAllowed);
  const bound = parts.binding.forCallback(req);
  const endpoints = await parts.endpoints.resolve();
  checkAuthorizationResponseIssuer(query, endpoints);
  const { tokenUrl, userinfoUrl } = endpoints;
  const outcome = await runStrategy(
    parts.strategyFor(tokenUrl),
    req,
    { codeVerifier: bound.codeVerifier },
    strategyBackstopMs(parts.config.timeout),
  );
  if (outcome.kind !== 'success') {
    throw new SpectroCloudRequestError('ERR_CALLBACK_UNEXPECTED', 'The sign-in callback did not complete the code exchange; start the sign-in again');
  }
  const tokens = outcome.user as SpectroCloudTokenSet;
  const claims = await withUserInfo(tokens.claims, userinfoUrl, tokens.accessToken, parts.http);
  const sessionToken = findPaletteToken(tokens.refreshToken, code);
  const realRefreshToken = tokens.refreshToken && tokens.refreshToken !== sessionToken ? tokens.refreshToken : undefined;
  const signedIn = { sessionId: newSessionId(), signedInAt: parts.clock() };
  const email = readEmail(claims);
  const session = (userEntityRef: string | undefined): SessionPayload => {
    const identity = { ...signedIn, idToken: tokens.idToken, accessToken: tokens.accessToken, userEntityRef, email };
    if (!realRefreshToken) return { kind: 'id-token', ...identity };
    const grant = lastGrant({ now: signedIn.signedInAt, verified: tokens.claims, claims, expiresIn: tokens.params.expires_in });
    const refreshTokenEndsAt = refreshTokenEnd(signedIn.signedInAt, tokens.params);
    return { kind: 'refresh-token', refreshToken: realRefreshToken, ...identity, lastGrant: grant, refreshTokenEndsAt };
  };
  const sessionEndsAt = sessionEndOf(parts, session(undefined));
  return {
    claims,
    idToken: tokens.idToken,
    accessToken: tokens.accessToken,
    params: tokens.params,
    email,
    sessionId: signedIn.sessionId,
    sessionToken,
    keepSessionTokenUntil: Math.min(claims.exp * 1000, durationEndsAt(parts, signedIn)),
    sessionEndsAt,
    session,
  };
}
