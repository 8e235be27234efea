import { SpectroCloudRequestError } from '../errors';

/** The parts of an OAuth state that say where the redirect flow returns to. */
export interface RedirectState {
  flow?: string;
  redirectUrl?: string;
}

/**
 * The OAuthAdapter follows `redirectUrl` in the redirect flow without
 * checking it; only the app's own origin and allowed extra origins pass here.
 * Origins are compared whole, so `https://app.example.com.evil.net` is refused.
 */
export function assertRedirectAllowed(
  state: RedirectState,
  appUrl: string,
  isOriginAllowed?: (origin: string) => boolean,
): void {
  if (state.flow !== 'redirect') return;
  const origin = originOf(state.redirectUrl);
  const allowed = origin !== undefined && (origin === new URL(appUrl).origin || isOriginAllowed?.(origin) === true);
  if (!allowed) {
    throw new SpectroCloudRequestError(
      'ERR_REDIRECT_NOT_ALLOWED',
      'redirectUrl must point at the Backstage app (app.baseUrl or auth.experimentalExtraAllowedOrigins)',
      { statusCode: 403 },
    );
  }
}

function originOf(url: string | undefined): string | undefined {
  try {
    return url ? new URL(url).origin : undefined;
  } catch {
    return undefined;
  }
}
