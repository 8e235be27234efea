import type { FetchMiddleware } from '@backstage/core-app-api';
import type { SpectroCloudReAuthenticationApi } from './apiRef';
import { SPECTROCLOUD_REAUTH_HEADER } from '../reauthHeader';
import { SpectroCloudReAuthError } from './errors';

export { SPECTROCLOUD_REAUTH_HEADER };

/**
 * Options of {@link spectroCloudReAuthFetchMiddleware}, shared with
 * {@link createSpectroCloudReAuthFetch}. The wrappers take the auth API as a
 * {@link SpectroCloudReAuthenticationApi}: the API of the provider (tenant)
 * whose backend asked, e.g. the one behind `spectroCloudAuthApiRef` or a second
 * tenant's own ref.
 *
 * @public
 */
export interface SpectroCloudReAuthFetchMiddlewareOptions {
  /** Called once per renewal, just before the sign-in starts. */
  onReAuth?: (event: { url: string }) => void;
  /**
   * `true` (default) opens the sign-in popup at once when a click is behind the
   * request, and queues the sign-in in the app's login-request dialog when the
   * browser blocks that popup (a data-loading fetch). `false` always queues it.
   * Either way the current session stays until the new sign-in succeeded.
   */
  instantPopup?: boolean;
}

/**
 * Options of {@link createSpectroCloudReAuthFetch}.
 *
 * @public
 */
export interface CreateSpectroCloudReAuthFetchOptions extends SpectroCloudReAuthFetchMiddlewareOptions {
  authApi: SpectroCloudReAuthenticationApi;
  /** The fetch to wrap; defaults to the global `fetch`. */
  fetch?: typeof fetch;
}

/**
 * Wraps `fetch`: when a response asks for re-authentication, renews the
 * SpectroCloud session with a real sign-in and retries the request once.
 *
 * @public
 */
export function createSpectroCloudReAuthFetch(options: CreateSpectroCloudReAuthFetchOptions): typeof fetch {
  const next = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  return withReAuth(next, createRenewal(options.authApi, options));
}

/**
 * The same behaviour as a `FetchMiddleware` for core-app-api's `createFetchApi`.
 * All fetches wrapped by one middleware share one renewal.
 *
 * @public
 */
export function spectroCloudReAuthFetchMiddleware(
  authApi: SpectroCloudReAuthenticationApi,
  options: SpectroCloudReAuthFetchMiddlewareOptions = {},
): FetchMiddleware {
  const renewal = createRenewal(authApi, options);
  return { apply: next => withReAuth(next, renewal) };
}

interface Renewal {
  /** Number of renewals finished so far. */
  generation(): number;
  /** Renews the session, or joins the renewal that started after the request was sent. */
  renew(sentGeneration: number, url: string): Promise<void>;
}

function createRenewal(authApi: SpectroCloudReAuthenticationApi, options: SpectroCloudReAuthFetchMiddlewareOptions): Renewal {
  let generation = 0;
  let pending: Promise<void> | undefined;
  let latest: Promise<void> | undefined;
  return {
    generation: () => generation,
    renew(sentGeneration, url) {
      if (pending) return pending;
      // A renewal finished after this request left: its answer is stale, not a new expiry.
      if (latest && sentGeneration !== generation) return latest;
      options.onReAuth?.({ url });
      pending = latest = signInAgain(authApi, options.instantPopup ?? true).finally(() => {
        generation += 1;
        pending = undefined;
      });
      return pending;
    },
  };
}

/**
 * The backend stores a new Palette token only after a real sign-in
 * through `/handler/frame`; a `/refresh` would not give it one. The auth API
 * runs that sign-in beside the current session, so a dismissed or blocked
 * sign-in leaves the user signed in.
 */
async function signInAgain(authApi: SpectroCloudReAuthenticationApi, instantPopup: boolean): Promise<void> {
  try {
    await authApi.reAuthenticate({ instantPopup });
  } catch (cause) {
    throw signInError(cause);
  }
}

/** Translates the errors of core-app-api's login popup and OAuth request dialog. */
function signInError(cause: unknown): SpectroCloudReAuthError {
  if (cause instanceof SpectroCloudReAuthError) return cause;
  const name = cause instanceof Error ? cause.name : '';
  if (name === 'PopupClosedError') {
    return new SpectroCloudReAuthError(
      'ERR_REAUTH_POPUP_CLOSED',
      'SpectroCloud re-authentication failed: the sign-in popup was closed before the sign-in finished',
      { cause },
    );
  }
  if (name === 'PopupRejectedError') {
    return new SpectroCloudReAuthError(
      'ERR_REAUTH_POPUP_BLOCKED',
      'SpectroCloud re-authentication failed: the browser blocked the sign-in popup; allow popups for this site and try again',
      { cause },
    );
  }
  if (name === 'RejectedError') {
    return new SpectroCloudReAuthError(
      'ERR_REAUTH_REJECTED',
      'SpectroCloud re-authentication failed: the sign-in request was dismissed',
      { cause },
    );
  }
  return new SpectroCloudReAuthError('ERR_REAUTH_FAILED', `SpectroCloud re-authentication failed: ${messageOf(cause)}`, {
    cause,
  });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

type FetchArgs = [input: RequestInfo | URL, init?: RequestInit];

function withReAuth(next: typeof fetch, renewal: Renewal): typeof fetch {
  return async (input, init) => {
    const [first, second] = replayable([input, init]);
    const sentGeneration = renewal.generation();
    const response = await next(...first);
    if (!reAuthRequired(response)) return response;
    // We answer with the retry, so nobody reads this body: release the connection.
    response.body?.cancel().catch(() => undefined);
    await renewal.renew(sentGeneration, urlOf(input));
    // Once only: if the retry asks again, the caller gets that answer.
    return next(...second);
  };
}

function reAuthRequired(response: Response): boolean {
  return response.headers.get(SPECTROCLOUD_REAUTH_HEADER)?.trim().toLowerCase() === 'true';
}

/** Two copies of the arguments, made before the first send consumes a body. */
function replayable([input, init]: FetchArgs): [FetchArgs, FetchArgs] {
  let retryInput = input;
  let firstInit = init;
  let retryInit = init;
  if (typeof Request !== 'undefined' && input instanceof Request && input.body) retryInput = input.clone();
  if (typeof ReadableStream !== 'undefined' && init?.body instanceof ReadableStream) {
    const [a, b] = init.body.tee();
    firstInit = { ...init, body: a };
    retryInit = { ...init, body: b };
  }
  return [
    [input, firstInit],
    [retryInput, retryInit],
  ];
}

function urlOf(input: RequestInfo | URL): string {
  if (typeof input === 'string') return input;
  return input instanceof URL ? input.href : input.url;
}
