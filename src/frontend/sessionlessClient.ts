import { OAuth2, type OAuth2CreateOptions } from '@backstage/core-app-api';

/** The part of core-app-api's auth connector (public type from 1.18 only) that is used here. */
interface StockConnector {
  createSession(options: { scopes: Set<string>; instantPopup?: boolean }): Promise<unknown>;
  removeSession(): Promise<void>;
}

type ConnectorFactory = (options: OAuth2CreateOptions) => StockConnector;

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
export function createSessionlessClient(options: OAuth2CreateOptions): OAuth2 {
  // Not part of OAuth2's typed surface: feature-detected, and tested on the newest line (frontend-compat 1.20).
  const stockConnector = (OAuth2 as unknown as { createAuthConnector?: ConnectorFactory }).createAuthConnector;
  if (typeof stockConnector !== 'function') return OAuth2.create(options);
  const connector = stockConnector.call(OAuth2, options);
  const withConnector = {
    defaultScopes: options.defaultScopes,
    scopeTransform: options.scopeTransform,
    authConnector: {
      createSession: (request: { scopes: Set<string>; instantPopup?: boolean }) => connector.createSession(request),
      refreshSession: () => Promise.reject(new Error('A fresh sign-in never takes the session from /refresh')),
      removeSession: () => connector.removeSession(),
    },
  };
  // The option type of 1.18+ (`OAuth2CreateOptionsWithAuthConnector`) is not in older lines' typings.
  return OAuth2.create(withConnector as unknown as OAuth2CreateOptions);
}
