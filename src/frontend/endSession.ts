import { readRefreshAnswer, type RefreshAnswerOptions } from './refreshAnswer';

/** Options of {@link readEndSessionUrl}. */
export type EndSessionLookupOptions = RefreshAnswerOptions;

/**
 * The current session's `providerInfo.endSessionUrl` (SpectroCloud's
 * end_session_endpoint with `id_token_hint`, set only when the operator opted
 * in), read from `/refresh` just before sign-out.
 *
 * Resolves `undefined` when there is no session, no URL, or the URL is not
 * http(s): sign-out then ends only the Backstage session, as before.
 */
export async function readEndSessionUrl(options: EndSessionLookupOptions): Promise<string | undefined> {
  const answer = await readRefreshAnswer(options);
  // Unreachable or not JSON: the Backstage sign-out still goes ahead, without the SpectroCloud one.
  return answer.kind === 'session' ? httpUrl(answer.providerInfo.endSessionUrl) : undefined;
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
