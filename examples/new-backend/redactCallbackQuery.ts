import type { Express } from 'express';

/**
 * For `rootHttpRouterServiceFactory({ configure })`: Backstage's request log
 * prints every URL whole, so the OAuth callback's (spent, PKCE-bound) `code`
 * and its `state` would land in the log; this drops that one query string.
 */
export function withoutCallbackQueryInRequestLog({ app, applyDefaults }: { app: Express; applyDefaults(): void }): void {
  app.use((req, res, next) => {
    // Registered before the logging middleware, so this 'finish' listener runs first.
    res.on('finish', () => {
      if (req.originalUrl.includes('/handler/frame?')) req.originalUrl = `${req.originalUrl.split('?')[0]}?[redacted]`;
    });
    next();
  });
  applyDefaults();
}
