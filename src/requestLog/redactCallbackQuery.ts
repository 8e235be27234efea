import type { RequestHandler } from 'express';

/** `/handler/frame` and any query after it: the OAuth callback of every provider of the legacy auth router. */
const CALLBACK_WITH_QUERY = /(\/handler\/frame)\?.*$/s;

/**
 * Wraps a legacy backend's request logger (`requestLoggingHandler` of
 * `@backstage/backend-common`, morgan underneath) so that the OAuth callback's
 * query (the spent, PKCE-bound authorization `code` and the `state`) never
 * reaches the request log: its line reads `GET .../handler/frame?[redacted]`.
 * In `packages/backend/src/index.ts` of a legacy backend:
 *
 * ```ts
 * createServiceBuilder(module).setRequestLoggingHandler(logger => redactCallbackQuery(requestLoggingHandler(logger)))
 * ```
 *
 * The URL is rewritten when the response has finished, just before the
 * logger's own `finish` listener writes the line, so routing and the
 * provider's handlers see the request unchanged.
 *
 * @public
 */
export function redactCallbackQuery(requestLogger: RequestHandler): RequestHandler {
  return (req, res, next) => {
    // Registered before the logger's listener, so it runs first.
    res.on('finish', () => {
      if (CALLBACK_WITH_QUERY.test(req.originalUrl)) req.originalUrl = req.originalUrl.replace(CALLBACK_WITH_QUERY, '$1?[redacted]');
      if (CALLBACK_WITH_QUERY.test(req.url)) req.url = req.url.replace(CALLBACK_WITH_QUERY, '$1?[redacted]');
    });
    requestLogger(req, res, next);
  };
}
