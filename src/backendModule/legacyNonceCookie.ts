import type { Request } from 'express';
import type { EnvironmentParts } from '../environment/createEnvironmentParts';
import { defaultCookieConfigurer } from '../refreshSession/cookieSettings';

/**
 * The legacy adapter's nonce cookie carries `Domain=<callback host>`; the new
 * system's is host-only. A browser that started a sign-in on the legacy
 * backend in the last 10 minutes would send the stale one first and fail the
 * new system's nonce check on every try until it expires: clear it at `/start`.
 * (plugin-auth-node clears a legacy nonce cookie too, but without its `/handler` path.)
 */
export function clearLegacyNonceCookie(req: Request, parts: EnvironmentParts): void {
  // Not sent to /start (its path is /handler): cleared unconditionally, a no-op for browsers without one.
  const name = `${parts.providerId}-nonce`;
  const { callbackUrl } = parts.config;
  const legacy = defaultCookieConfigurer({
    providerId: parts.providerId,
    baseUrl: '',
    callbackUrl,
    appOrigin: new URL(parts.appUrl).origin,
  });
  req.res?.clearCookie(name, { domain: legacy.domain, path: `${legacy.path}/handler`, httpOnly: true, secure: legacy.secure, sameSite: legacy.sameSite });
}
