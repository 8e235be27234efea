import type { Request } from 'express';
import {
  SpectroCloudAuthenticationError,
  SpectroCloudNotAllowedError,
  SpectroCloudReAuthRequiredError,
  SpectroCloudTokenStoreError,
} from '../errors';
// Named through the main entry, so the published types of .../palette-tokens point there.
import type { PaletteTokenCache } from '../stores/paletteTokenCache';

/** Header the old frontend sends to name "its" user. Only ever checked, never used for lookup. */
export const USER_EMAIL_HEADER = 'x-spectrocloud-user-email';

/**
 * Why public: what the hand-off, the middleware and the Palette API client take.
 *
 * @public
 */
export interface PaletteTokenHandoffOptions {
  /**
   * Verifies the caller's Backstage token: `IdentityClient` (has `authenticate`)
   * or `DefaultIdentityClient` (has `getIdentity`) from `@backstage/plugin-auth-node`,
   * across its 0.x lines, e.g. `IdentityClient.create({ discovery, issuer })`.
   */
  identity:
    | { getIdentity(options: { request: Request<unknown> }): Promise<{ identity: { userEntityRef: string } } | undefined> }
    | { authenticate(token: string | undefined): Promise<{ identity: { userEntityRef: string } }> };
  cache: PaletteTokenCache;
  /**
   * A SpectroCloud API key for the backend itself. Used only when
   * `allowServiceTokenFallback` is true and the signed-in user has no Palette
   * token here; it then acts with the service account's rights, not the user's.
   */
  serviceToken?: string;
  allowServiceTokenFallback?: boolean;
  /** Counts the hand-off's outcomes (SpectroCloudAuthMetrics implements it). */
  metrics?: { recordHandoff(event: 'granted' | 'serviceTokenFallbacks' | 'unauthenticated' | 'forbidden' | 'reAuthRequired' | 'unavailable'): void };
}

/**
 * Why public: what a plugin gets to call Palette with, from the hand-off or `req.spectroCloud`.
 *
 * @public
 */
export interface PaletteTokenGrant {
  token: string;
  /** The verified Backstage user the request came from. */
  userEntityRef: string;
  source: 'user-session' | 'service-token';
}

/** Anything that verifies a Backstage token the way `@backstage/plugin-auth-node`'s identity clients do. */
export type BackstageIdentityVerifier = PaletteTokenHandoffOptions['identity'];

/** A verified caller. */
export type VerifiedBackstageIdentity = { identity: { userEntityRef: string } };

/**
 * Finds the Palette token to call Palette's API with on behalf of the
 * request's user.
 *
 * The user is the one of the verified Backstage token (`Authorization:
 * Bearer`), and the token is looked up by that user's entity ref only. An
 * `X-SpectroCloud-User-Email` header is tolerated for old frontends but must
 * match the e-mail stored with the caller's own session, otherwise 403. A
 * `spectrocloud-api-token` cookie or `X-SpectroCloud-Token` header is ignored:
 * a browser cannot pick whose token is used.
 *
 * @throws SpectroCloudAuthenticationError (401) no or unverifiable Backstage token
 * @throws SpectroCloudNotAllowedError (403) the e-mail header names someone else
 * @throws SpectroCloudReAuthRequiredError (401) no SpectroCloud session for the user
 * @throws SpectroCloudTokenStoreError (503) the store cannot be read
 * Why public: the hand-off itself, for a plugin that does not use the middleware.
 *
 * @public
 */
export async function getPaletteToken(
  options: PaletteTokenHandoffOptions & { req: Request },
): Promise<PaletteTokenGrant> {
  const { req, cache, serviceToken, allowServiceTokenFallback = false, metrics } = options;
  const userEntityRef = await verifyCaller(options.identity, req, metrics);

  let session;
  try {
    session = await cache.forUser(userEntityRef);
  } catch (error) {
    if (error instanceof SpectroCloudTokenStoreError) metrics?.recordHandoff('unavailable');
    throw error;
  }

  if (session) {
    const claimedEmail = headerValue(req, USER_EMAIL_HEADER);
    if (claimedEmail !== undefined && (!session.email || claimedEmail.trim().toLowerCase() !== session.email)) {
      metrics?.recordHandoff('forbidden');
      throw new SpectroCloudNotAllowedError(
        'The X-SpectroCloud-User-Email header names a different user than the signed-in Backstage user; ' +
          'Palette tokens are only handed out to their own user. Remove the header or send your own e-mail.',
      );
    }
    metrics?.recordHandoff('granted');
    return { token: session.sessionToken, userEntityRef, source: 'user-session' };
  }

  if (allowServiceTokenFallback && serviceToken) {
    metrics?.recordHandoff('serviceTokenFallbacks');
    return { token: serviceToken, userEntityRef, source: 'service-token' };
  }
  metrics?.recordHandoff('reAuthRequired');
  throw new SpectroCloudReAuthRequiredError(
    'Your Palette token has expired or is unknown to this backend; sign in with SpectroCloud again',
  );
}

/** Returns the verified user's entity ref, or throws a 401 error. */
async function verifyCaller(
  identity: BackstageIdentityVerifier,
  req: Request,
  metrics: PaletteTokenHandoffOptions['metrics'],
): Promise<string> {
  const token = bearerToken(req.headers.authorization);
  if (!token) {
    metrics?.recordHandoff('unauthenticated');
    throw new SpectroCloudAuthenticationError(
      'ERR_BACKSTAGE_TOKEN_MISSING',
      'This request carries no Backstage token; send it as "Authorization: Bearer <token>"',
    );
  }
  let verified: VerifiedBackstageIdentity | undefined;
  try {
    // Prefer getIdentity (the current API); IdentityClient only has authenticate.
    verified =
      'getIdentity' in identity ? await identity.getIdentity({ request: req }) : await identity.authenticate(token);
  } catch {
    verified = undefined; // reported below; the verifier's message may describe the token
  }
  const userEntityRef = verified?.identity?.userEntityRef;
  if (typeof userEntityRef !== 'string' || userEntityRef === '') {
    metrics?.recordHandoff('unauthenticated');
    throw new SpectroCloudAuthenticationError(
      'ERR_BACKSTAGE_TOKEN_INVALID',
      'The Backstage token of this request could not be verified; sign in to Backstage again',
    );
  }
  return userEntityRef;
}

function bearerToken(header: string | undefined): string | undefined {
  const match = header?.match(/^Bearer[ ]+(\S+)$/i);
  return match?.[1];
}

function headerValue(req: Request, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}
