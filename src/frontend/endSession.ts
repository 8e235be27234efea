import type { DiscoveryApi } from '@backstage/core-plugin-api';

/** Options of {@link readEndSessionUrl}. */
export interface EndSessionLookupOptions {
  discoveryApi: DiscoveryApi;
  providerId: string;
  environment: string;
  scopes: readonly string[];
  /** Defaults to the global `fetch`. */
  fetch?: typeof fetch;
  /** Defaults to 10 seconds: sign-out must not hang on a slow backend. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Asks the backend for the current session's `providerInfo.endSessionUrl`
 * (SpectroCloud's end_session_endpoint with `id_token_hint`, set only when the
 * operator opted in). core-app-api's `OAuth2` keeps nothing of `providerInfo`
 * but the tokens, scopes and expiry, so the client reads the session the
 * backend would hand out right now, through the same `/refresh` request.
 *
 * Resolves `undefined` when there is no session, no URL, or the URL is not
 * http(s): sign-out then ends only the Backstage session, as before.
 */
export async function readEndSessionUrl(options: EndSessionLookupOptions): Promise<string | undefined> {
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
    if (!response.ok) return undefined;
    body = await response.json();
  } catch {
    // Unreachable or not JSON: the Backstage sign-out still goes ahead, without the SpectroCloud one.
    return undefined;
  }
  return httpUrl((body as { providerInfo?: { endSessionUrl?: unknown } } | null)?.providerInfo?.endSessionUrl);
}

/** Only an absolute http(s) URL may become the top window's location (never `javascript:`). */
function httpUrl(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}
