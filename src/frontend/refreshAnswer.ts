import type { DiscoveryApi } from '@backstage/core-plugin-api';

/** Where to ask: the provider's `/refresh` of the app's auth backend. */
export interface RefreshAnswerOptions {
  discoveryApi: DiscoveryApi;
  providerId: string;
  environment: string;
  scopes: readonly string[];
  /** Defaults to the global `fetch`. */
  fetch?: typeof fetch;
  /** Defaults to 10 seconds: nothing waits long on a slow backend. */
  timeoutMs?: number;
}

/** What `/refresh?optional` said: the session it would hand out now, none, or nothing usable. */
export type RefreshAnswer =
  | { kind: 'session'; providerInfo: Record<string, unknown>; userEntityRef?: string }
  | { kind: 'no-session' }
  | { kind: 'unreachable' };

const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Reads the session the backend would hand out right now. core-app-api's
 * `OAuth2` keeps nothing of `providerInfo` but the tokens, scopes and expiry,
 * so what the backend adds there (`endSessionUrl`, `sessionEndsInSeconds`)
 * is read through this same request. A 401 is "no session"; any other
 * failure says nothing about the session.
 */
export async function readRefreshAnswer(options: RefreshAnswerOptions): Promise<RefreshAnswer> {
  const send = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const query = new URLSearchParams({ scope: options.scopes.join(' '), env: options.environment });
  const url = `${await options.discoveryApi.getBaseUrl('auth')}/${options.providerId}/refresh?optional&${query}`;
  let body: unknown;
  try {
    const response = await send(url, {
      headers: { 'x-requested-with': 'XMLHttpRequest' },
      credentials: 'include',
      signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    });
    if (response.status === 401) return { kind: 'no-session' };
    if (!response.ok) return { kind: 'unreachable' };
    body = await response.json();
  } catch {
    return { kind: 'unreachable' };
  }
  // `/refresh?optional` answers 200 with no body fields when there is no session (newer backends).
  const answer = body as { providerInfo?: unknown; backstageIdentity?: { identity?: { userEntityRef?: unknown } } } | null;
  const providerInfo = answer?.providerInfo;
  if (typeof providerInfo !== 'object' || providerInfo === null) return { kind: 'no-session' };
  const userEntityRef = answer?.backstageIdentity?.identity?.userEntityRef;
  return { kind: 'session', providerInfo: providerInfo as Record<string, unknown>, ...(typeof userEntityRef === 'string' ? { userEntityRef } : {}) };
}
