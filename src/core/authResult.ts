import jwt from 'jsonwebtoken';
import type { EnvironmentParts } from '../environment/createEnvironmentParts';
import { endSessionUrl } from '../oidc/endSessionUrl';
import type { IdTokenClaims } from '../oidc/IdTokenVerifier';
import { passportProfileFromClaims, type SpectroCloudAuthResult } from '../profile';

export interface VerifiedTokens {
  claims: IdTokenClaims;
  idToken: string;
  accessToken: string;
  params: Record<string, unknown>;
  /** epoch ms when the session ends past any silent renewal (`sessionEndOf`); Infinity when it has no end */
  sessionEndsAt: number;
}

/**
 * The result sign-in resolvers and profile handlers see, from verified
 * claims only. `expires_in` never outlives the ID token nor `sessionDuration`,
 * so the app refreshes in time.
 */
export function authResultOf(parts: EnvironmentParts, tokens: VerifiedTokens): SpectroCloudAuthResult {
  const { claims, idToken, accessToken, params, sessionEndsAt } = tokens;
  const now = parts.clock();
  const secondsLeft = Math.max(0, Math.min(claims.exp - Math.floor(now / 1000), Math.floor((sessionEndsAt - now) / 1000)));
  const expiresIn = typeof params.expires_in === 'number' ? Math.min(params.expires_in, secondsLeft) : secondsLeft;
  const scope = typeof params.scope === 'string' ? params.scope : parts.config.scope;
  return {
    fullProfile: passportProfileFromClaims(claims),
    params: { id_token: idToken, scope, token_type: 'Bearer', expires_in: expiresIn },
    accessToken,
    claims,
  };
}

/**
 * `providerInfo.sessionEndsInSeconds`: how long until the session ends past
 * any silent renewal, so the app can warn the user ahead of it. Omitted when
 * the session renews silently without an end.
 */
export function sessionEndsInSeconds(parts: EnvironmentParts, sessionEndsAt: number): number | undefined {
  if (!Number.isFinite(sessionEndsAt)) return undefined;
  return Math.max(0, Math.floor((sessionEndsAt - parts.clock()) / 1000));
}

/** SpectroCloud's sign-out URL: only with `signOutOfSpectroCloud: true` and an issuer that advertises `end_session_endpoint`. */
export async function endSessionUrlFor(parts: EnvironmentParts, idToken: string): Promise<string | undefined> {
  if (!parts.config.signOutOfSpectroCloud) return undefined;
  const { endSessionUrl: endpoint } = await parts.endpoints.resolve();
  if (!endpoint) {
    parts.warnOnce(
      'no-end-session',
      `signOutOfSpectroCloud is on for provider ${parts.providerId}, but SpectroCloud's discovery document names no end_session_endpoint; sign-out ends only the Backstage session`,
    );
    return undefined;
  }
  return endSessionUrl(endpoint, { idToken, clientId: parts.config.clientId, postLogoutRedirectUri: parts.appUrl });
}

/** The sub of a Backstage token the auth backend just issued, e.g. `user:default/alice`. */
export function userEntityRefOf(identity: { token?: string } | undefined): string | undefined {
  if (!identity?.token) return undefined;
  const decoded = jwt.decode(identity.token);
  return typeof decoded === 'object' && typeof decoded?.sub === 'string' ? decoded.sub : undefined;
}
