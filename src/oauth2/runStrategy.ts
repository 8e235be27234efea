import type { Request } from 'express';
import { SpectroCloudIdpError, SpectroCloudNetworkError, SpectroCloudRequestError } from '../errors';
import { sanitizeIdpText } from './sanitizeIdpText';
import { translateStrategyError } from './translateStrategyError';

export type StrategyOutcome =
  | { kind: 'redirect'; url: string; status: number }
  | { kind: 'success'; user: unknown; info: unknown };

/**
 * Runs a passport strategy outside passport's middleware, the way passport
 * itself does: a per-request object inheriting from the strategy gets the
 * success/fail/redirect/error actions. `timeoutMs` bounds the whole run so a
 * silent SpectroCloud cannot hold a sign-in open.
 */
/** The part of a passport strategy that runStrategy drives. */
export interface RunnableStrategy {
  authenticate(req: Request, options?: object): void;
  parseErrorResponse?(body: string, status: number): Error | null;
}

export function runStrategy(
  strategy: RunnableStrategy,
  req: Request,
  options: object,
  timeoutMs: number,
): Promise<StrategyOutcome> {
  return new Promise((resolve, reject) => {
    let settled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      outcome();
    };

    const run = Object.create(strategy) as RunnableStrategy & Record<string, unknown>;
    run.redirect = (url: string, status?: number) => finish(() => resolve({ kind: 'redirect', url, status: status ?? 302 }));
    run.success = (user: unknown, info: unknown) => finish(() => resolve({ kind: 'success', user, info }));
    run.fail = (challenge?: { message?: string } | string) =>
      finish(() => {
        const description = sanitizeIdpText(typeof challenge === 'string' ? challenge : challenge?.message);
        reject(
          new SpectroCloudIdpError(
            'ERR_IDP_DENIED',
            `Sign-in was denied by SpectroCloud (access_denied${description ? `: ${description}` : ''})`,
            { error: 'access_denied', errorDescription: description },
          ),
        );
      });
    run.error = (error: unknown) =>
      finish(() => reject(translateStrategyError(error, strategy.parseErrorResponse?.bind(strategy))));
    run.pass = () =>
      finish(() => reject(new SpectroCloudRequestError('ERR_CALLBACK_UNEXPECTED', 'The sign-in callback did not complete the code exchange')));

    try {
      run.authenticate(req, options);
    } catch (error) {
      finish(() => reject(translateStrategyError(error)));
    }
    // A start redirects synchronously, within authenticate(): only a run still
    // waiting on SpectroCloud (a code exchange) needs the backstop timer.
    if (settled) return;
    timer = setTimeout(
      () =>
        finish(() =>
          reject(new SpectroCloudNetworkError('ERR_TIMEOUT', `SpectroCloud did not answer within ${timeoutMs} ms (token endpoint or signing keys)`)),
        ),
      timeoutMs,
    );
    timer.unref?.();
  });
}
