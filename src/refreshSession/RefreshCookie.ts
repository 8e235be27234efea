import type { Request } from 'express';
import { adapterCookieOptions, defaultCookieConfigurer, type CookieConfigurerLike } from './cookieSettings';
import { MAX_CHUNKS, SealedSession, type SessionPayload } from './SealedSession';

const THOUSAND_DAYS_MS = 1000 * 24 * 60 * 60 * 1000;

export interface RefreshCookieOptions {
  providerId: string;
  environment: string;
  clientSecret: string;
  appUrl: string;
  /** the auth backend's external base URL, e.g. http://localhost:7007/api/auth */
  authBaseUrl: string;
  callbackUrl: string;
  cookieConfigurer?: CookieConfigurerLike;
  /** max-age of the extra pieces, the same as the first piece's; default the legacy adapter's 1000 days */
  maxAgeMs?: number;
  /**
   * The new backend system sets host-only cookies where the legacy adapter
   * gave them `Domain=<callback host>`: cookies left from a legacy sign-in are
   * cleared under that domain too, so no stale copy shadows the new ones.
   */
  clearLegacyDomainCookies?: boolean;
}

/**
 * The refresh cookie as a whole: sealed with {@link SealedSession}, its first
 * piece handed to the OAuthAdapter (which writes `<id>-refresh-token`), the
 * other pieces written and cleared here as `<id>-refresh-token-<n>` with the
 * same attributes, so a large session survives browsers' 4 KB cookie limit.
 */
export class RefreshCookie {
  private readonly sealed: SealedSession;
  private readonly cookieName: string;

  constructor(private readonly options: RefreshCookieOptions) {
    this.sealed = new SealedSession(options.clientSecret, `${options.providerId}:${options.environment}`);
    this.cookieName = `${options.providerId}-refresh-token`;
  }

  /** Opens the session from the adapter's piece and the extra pieces on the request. */
  read(req: Request, first: string | undefined): SessionPayload {
    const cookies = (req.cookies ?? {}) as Record<string, string>;
    return this.sealed.open(first, index => cookies[`${this.cookieName}-${index}`]);
  }

  /** Seals the session; returns the first piece for the adapter's cookie and writes the rest. */
  write(req: Request, payload: SessionPayload, origin: string | undefined): string {
    const [first, ...rest] = this.sealed.seal(payload);
    const options = this.cookieOptions(origin);
    this.clearLegacyDomainPieces(req, origin);
    rest.forEach((piece, index) => req.res?.cookie(`${this.cookieName}-${index + 1}`, piece, options));
    this.clearPieces(req, origin, rest.length + 1);
    return first;
  }

  /** Clears the extra pieces (the adapter clears its own cookie at sign-out). */
  clear(req: Request, origin: string | undefined): void {
    this.clearPieces(req, origin, 1);
    this.clearLegacyDomainPieces(req, origin, true);
  }

  private clearLegacyDomainPieces(req: Request, origin: string | undefined, withFirst = false) {
    if (!this.options.clearLegacyDomainCookies) return;
    const cookies = (req.cookies ?? {}) as Record<string, string>;
    const options = { ...this.cookieOptions(origin), maxAge: undefined, domain: new URL(this.options.callbackUrl).hostname };
    const names = [...(withFirst ? [this.cookieName] : []), ...Array.from({ length: MAX_CHUNKS - 1 }, (_, i) => `${this.cookieName}-${i + 1}`)];
    for (const name of names) if (cookies[name] !== undefined) req.res?.clearCookie(name, options);
  }

  private clearPieces(req: Request, origin: string | undefined, from: number) {
    const cookies = (req.cookies ?? {}) as Record<string, string>;
    const options = this.cookieOptions(origin);
    for (let index = from; index < MAX_CHUNKS; index++) {
      const name = `${this.cookieName}-${index}`;
      if (cookies[name] !== undefined) req.res?.clearCookie(name, { ...options, maxAge: undefined });
    }
  }

  private cookieOptions(origin: string | undefined) {
    return adapterCookieOptions(
      this.options.cookieConfigurer ?? defaultCookieConfigurer,
      {
        providerId: this.options.providerId,
        baseUrl: this.options.authBaseUrl,
        callbackUrl: this.options.callbackUrl,
        appOrigin: originOr(origin, new URL(this.options.appUrl).origin),
      },
      this.options.maxAgeMs ?? THOUSAND_DAYS_MS,
    );
  }
}

// The adapter rejects unparsable origins itself; the app's origin stands in here.
function originOr(origin: string | undefined, fallback: string): string {
  if (!origin) return fallback;
  try {
    return new URL(origin).origin;
  } catch {
    return fallback;
  }
}
