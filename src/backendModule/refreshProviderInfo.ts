import type { Request, Response } from 'express';
import type { AuthProviderRouteHandlers } from '@backstage/plugin-auth-node';
import { endSessionUrlFor, sessionEndsInSeconds } from '../core/authResult';
import type { EnvironmentParts } from '../environment/createEnvironmentParts';

/**
 * epoch ms when each `/refresh` request's session ends (`sessionEndOf`), set
 * by the authenticator's `refresh` and read once its answer is written. One
 * per environment handler; entries go with their request.
 */
export type RefreshSessionEnds = WeakMap<Request, number>;

/**
 * Adds to `/refresh`'s answer what the legacy handlers put in `providerInfo`
 * and plugin-auth-node's route handler drops (it builds `providerInfo` from
 * four fixed fields): `sessionEndsInSeconds` (so the app warns ahead of the
 * session's end) and `endSessionUrl` (`signOutOfSpectroCloud: true` and an
 * `end_session_endpoint`).
 *
 * Why: core-app-api's `OAuth2` keeps no unknown `providerInfo` field, so our
 * frontend (`src/frontend/refreshAnswer.ts`) reads both from `/refresh`.
 * Everything else (scope and cookie managers, the X-Requested-With and origin
 * checks, the status) stays Backstage's: only the body it sends is held back,
 * completed and sent.
 */
export function withOurProviderInfoOnRefresh(
  handlers: AuthProviderRouteHandlers,
  parts: EnvironmentParts,
  sessionEnds: RefreshSessionEnds,
): AuthProviderRouteHandlers {
  if (!handlers.refresh) return handlers;
  const refresh = handlers.refresh.bind(handlers);
  return {
    start: handlers.start.bind(handlers),
    frameHandler: handlers.frameHandler.bind(handlers),
    logout: handlers.logout?.bind(handlers),
    refresh: async (req, res) => {
      const answer = await heldBack(res, () => refresh(req, res));
      if (answer === undefined) return;
      const endsAt = sessionEnds.get(req);
      sessionEnds.delete(req);
      res.json(await completed(parts, answer.body, endsAt));
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

async function completed(parts: EnvironmentParts, body: unknown, sessionEndsAt: number | undefined): Promise<unknown> {
  const providerInfo = (body as { providerInfo?: Record<string, unknown> } | null)?.providerInfo;
  // The ID token the authenticator just verified (its refresh result's session).
  const idToken = providerInfo?.idToken;
  if (typeof idToken !== 'string') return body;
  const endsIn = sessionEndsAt === undefined ? undefined : sessionEndsInSeconds(parts, sessionEndsAt);
  const endSessionUrl = await endSessionUrlFor(parts, idToken);
  return {
    ...(body as object),
    providerInfo: {
      ...providerInfo,
      ...(endsIn === undefined ? {} : { sessionEndsInSeconds: endsIn }),
      ...(endSessionUrl ? { endSessionUrl } : {}),
    },
  };
}
