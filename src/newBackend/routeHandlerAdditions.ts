import type { Request, Response } from 'express';
import type { AuthProviderRouteHandlers } from '@backstage/plugin-auth-node';
import { SpectroCloudAuthError } from '../errors';
import { defaultCookieConfigurer } from '../refreshSession/cookieSettings';
import type { SignInService } from '../signInService/SignInService';

/**
 * epoch ms when each `/refresh` request's session ends (`sessionEndOf`), set
 * by the authenticator's `refresh` and read once its answer is written. One
 * per environment handler; entries go with their request.
 */
export type RefreshSessionEnds = WeakMap<Request, number>;

/**
 * What plugin-auth-node's route handlers (`createOAuthRouteHandlers`) do not
 * let an authenticator do, added around them in one place. Everything else
 * (cookies, state, nonce check, scope, the X-Requested-With and origin
 * checks) stays Backstage's.
 *
 * - `/start`, with `clearLegacyNonce`: clears the legacy adapter's nonce
 *   cookie before the route handler sets its own. The legacy one carries
 *   `Domain=<callback host>` and path `.../handler`; a browser that started a
 *   sign-in on the legacy backend in the last 10 minutes would send that
 *   stale cookie first and fail the new nonce check until it expires. It must
 *   happen before the handler writes its cookie (where both are the same
 *   cookie, e.g. on `localhost`, the new one is written last and wins), and
 *   the authenticator's `start` runs after, so it cannot live there.
 * - `/refresh`, the status: the route handler turns every refresh failure into
 *   401 "Refresh failed". A store outage or an unreachable SpectroCloud is not
 *   the session ending: those keep their own status (503, 502), as under the
 *   legacy router, so the app retries instead of signing the user out.
 * - `/refresh`, the body: the route handler builds `providerInfo` from four
 *   fixed fields; `sessionEndsInSeconds` (the app warns ahead of the
 *   session's end) and `endSessionUrl` (`signOutOfSpectroCloud`) are added as
 *   the legacy handlers add them. core-app-api's `OAuth2` keeps no unknown
 *   `providerInfo` field, so our frontend reads both from `/refresh`. Only the
 *   body is held back (`res.json`, this response only), completed and sent.
 */
export function withOurRouteAdditions(
  handlers: AuthProviderRouteHandlers,
  input: { service: SignInService; sessionEnds: RefreshSessionEnds; clearLegacyNonce: boolean; callbackUrl: string; appUrl: string },
): AuthProviderRouteHandlers {
  const { service, sessionEnds } = input;
  const refresh = handlers.refresh?.bind(handlers);
  return {
    start: async (req, res) => {
      if (input.clearLegacyNonce) clearLegacyNonceCookie(req, service.providerId, input.callbackUrl, input.appUrl);
      await handlers.start(req, res);
    },
    frameHandler: handlers.frameHandler.bind(handlers),
    logout: handlers.logout?.bind(handlers),
    refresh:
      refresh &&
      (async (req, res) => {
        try {
          const answer = await heldBack(res, () => refresh(req, res));
          if (answer === undefined) return;
          const endsAt = sessionEnds.get(req);
          sessionEnds.delete(req);
          res.json(await completed(service, answer.body, endsAt));
        } catch (error) {
          const cause = (error as { cause?: unknown }).cause;
          if (cause instanceof SpectroCloudAuthError && (cause.statusCode ?? 500) >= 500) throw cause;
          throw error;
        }
      }),
  };
}

/** Not sent to /start (its path is /handler): cleared unconditionally, a no-op for browsers without one. */
function clearLegacyNonceCookie(req: Request, providerId: string, callbackUrl: string, appUrl: string): void {
  const legacy = defaultCookieConfigurer({ providerId, baseUrl: '', callbackUrl, appOrigin: new URL(appUrl).origin });
  req.res?.clearCookie(`${providerId}-nonce`, { domain: legacy.domain, path: `${legacy.path}/handler`, httpOnly: true, secure: legacy.secure, sameSite: legacy.sameSite });
}

/** Runs `send` with `res.json` capturing its body instead of writing it (this response only). */
async function heldBack(res: Response, send: () => Promise<void>): Promise<{ body: unknown } | undefined> {
  let answer: { body: unknown } | undefined;
  const json = res.json;
  res.json = body => {
    answer = { body };
    return res;
  };
  try {
    await send();
  } finally {
    res.json = json;
  }
  return answer;
}

async function completed(service: SignInService, body: unknown, sessionEndsAt: number | undefined): Promise<unknown> {
  const providerInfo = (body as { providerInfo?: Record<string, unknown> } | null)?.providerInfo;
  // The ID token the authenticator just verified (its refresh result's session).
  const idToken = providerInfo?.idToken;
  if (typeof idToken !== 'string') return body;
  return { ...(body as object), providerInfo: { ...providerInfo, ...(await service.providerInfoExtras(idToken, sessionEndsAt)) } };
}
