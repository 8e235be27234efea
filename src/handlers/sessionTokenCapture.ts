import type { SessionTokenCache } from '../sessionToken/sessionTokenCache';
import { clearSessionCookie, SESSION_COOKIE_NAME, sessionCookieOptions } from '../sessionToken/cookie';
import { sessionTokenExpiry } from '../sessionToken/sessionTokenDetection';
import type { HandlerLogger, SessionTokenHooks } from './SpectroCloudAuthHandlers';

/**
 * Keeps SpectroCloud's session token server-side at sign-in, keyed by the
 * verified identity, and sets the seed's `spectrocloud-api-token` cookie
 * the safe way (HttpOnly, SameSite=Lax, Secure over https, API path only,
 * same lifetime as the token). A store outage never fails a sign-in: backend
 * plugins answer with the re-authentication signal instead.
 */
export function createSessionTokenCapture(options: {
  cache: SessionTokenCache;
  /** true when the backend is served over https */
  secure: boolean;
  /** the backend plugin API path the cookie is scoped to */
  cookiePath?: string;
  logger: HandlerLogger;
  clock?: () => number;
}): SessionTokenHooks {
  const { cache, secure, cookiePath, logger } = options;
  const clock = options.clock ?? Date.now;
  return {
    async remember({ req, userEntityRef, email, sessionToken, expiresAt }) {
      const until = Math.min(expiresAt, sessionTokenExpiry(sessionToken) ?? expiresAt);
      try {
        await cache.remember({ userEntityRef, email, sessionToken, expiresAt: until });
      } catch (error) {
        logger.warn(
          `Could not keep the SpectroCloud session token (${(error as { code?: string }).code ?? 'ERR_TOKEN_STORE'}); backend plugins will ask the user to sign in again`,
        );
        return;
      }
      req.res?.cookie(SESSION_COOKIE_NAME, sessionToken, sessionCookieOptions({ secure, path: cookiePath, maxAgeMs: Math.max(0, until - clock()) }));
    },
    async forget({ req, userEntityRef, email }) {
      if (req.res) clearSessionCookie(req.res, { secure, path: cookiePath });
      if (!userEntityRef && !email) return;
      try {
        await cache.forget({ userEntityRef, email });
      } catch (error) {
        logger.warn(`Could not drop the SpectroCloud session token at sign-out (${(error as { code?: string }).code ?? 'ERR_TOKEN_STORE'})`);
      }
    },
  };
}
