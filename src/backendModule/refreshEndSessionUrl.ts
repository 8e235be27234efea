import type { Response } from 'express';
import type { AuthProviderRouteHandlers } from '@backstage/plugin-auth-node';
import { endSessionUrlFor } from '../core/authResult';
import type { EnvironmentParts } from '../environment/createEnvironmentParts';

/**
 * Adds `providerInfo.endSessionUrl` to `/refresh`'s answer, as the legacy
 * handlers do (`signOutOfSpectroCloud: true` and an `end_session_endpoint`).
 *
 * Why: core-app-api's `OAuth2` keeps no unknown `providerInfo` field, so our
 * frontend (`src/frontend/endSession.ts`) reads the URL from `/refresh` just
 * before `POST /logout`; plugin-auth-node's route handler builds `providerInfo`
 * from four fixed fields and would drop it. Everything else (scope and cookie
 * managers, the X-Requested-With and origin checks, the status) stays
 * Backstage's: only the body it sends is held back, completed and sent.
 */
export function withEndSessionUrlOnRefresh(handlers: AuthProviderRouteHandlers, parts: EnvironmentParts): AuthProviderRouteHandlers {
  if (!handlers.refresh || !parts.config.signOutOfSpectroCloud) return handlers;
  const refresh = handlers.refresh.bind(handlers);
  return {
    start: handlers.start.bind(handlers),
    frameHandler: handlers.frameHandler.bind(handlers),
    logout: handlers.logout?.bind(handlers),
    refresh: async (req, res) => {
      const answer = await heldBack(res, () => refresh(req, res));
      if (answer === undefined) return;
      res.json(await withEndSessionUrl(parts, answer.body));
    },
  };
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

async function withEndSessionUrl(parts: EnvironmentParts, body: unknown): Promise<unknown> {
  const providerInfo = (body as { providerInfo?: Record<string, unknown> } | null)?.providerInfo;
  // The ID token the authenticator just verified (its refresh result's session).
  const idToken = providerInfo?.idToken;
  if (typeof idToken !== 'string') return body;
  const endSessionUrl = await endSessionUrlFor(parts, idToken);
  return endSessionUrl ? { ...(body as object), providerInfo: { ...providerInfo, endSessionUrl } } : body;
}
