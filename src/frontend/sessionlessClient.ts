import { OAuth2, OAuthRequestManager, type OAuth2CreateOptions } from '@backstage/core-app-api';

/** The part of core-app-api's auth connector (a public type from 1.18 only) that is kept. */
interface StockConnector {
  createSession(options: { scopes: Set<string>; instantPopup?: boolean }): Promise<unknown>;
  removeSession(): Promise<void>;
}

/**
 * An `OAuth2` client holding no session whose sign-in is always a real one
 * (the popup, or the redirect when the app turned that flow on).
 *
 * core-app-api 1.18 and later try `/refresh` before an instant popup, and the
 * refresh cookie then answers with the very session being renewed, so no one
 * signs in again. Those lines take an `authConnector` option: the stock
 * connector (built by `OAuth2`'s own connector factory) is kept for the
 * sign-in, and its refresh is refused, which sends the client to the popup.
 * Before 1.18 neither exists, and an instant popup never refreshes.
 */
export function createSessionlessClient(
  clientOptions: Omit<OAuth2CreateOptions, 'oauthRequestApi'>,
  /** core-app-api's classes: the tests hand in the newest line's (installed beside the one the package builds with). */
  core = { OAuth2, OAuthRequestManager },
): OAuth2 {
  const { OAuth2, OAuthRequestManager } = core;
  // Only ever asked with instantPopup, so its private request queue is never shown.
  const options = { ...clientOptions, oauthRequestApi: new OAuthRequestManager() };
  // Not in OAuth2's typed surface: feature-detected, and tested on the newest line (test/frontend/sessionlessClient.test.ts, frontend-compat 1.20).
  const stock = (OAuth2 as unknown as { createAuthConnector?: (o: OAuth2CreateOptions) => StockConnector }).createAuthConnector?.(options);
  if (!stock) return OAuth2.create(options);
  const withConnector = {
    ...options,
    authConnector: {
      createSession: (request: Parameters<StockConnector['createSession']>[0]) => stock.createSession(request),
      refreshSession: () => Promise.reject(new Error('A fresh sign-in never takes the session from /refresh')),
      removeSession: () => stock.removeSession(),
    },
  };
  // 1.18's option type (`OAuth2CreateOptionsWithAuthConnector`) is not in older lines' typings.
  return OAuth2.create(withConnector as OAuth2CreateOptions);
}
