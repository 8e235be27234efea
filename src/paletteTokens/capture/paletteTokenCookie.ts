import type { CookieOptions, Response } from 'express';

/** The seeds' cookie for the Palette token: a wire name their clients read, so it keeps its name. */
export const PALETTE_TOKEN_COOKIE_NAME = 'spectrocloud-api-token';

/** @internal */
export interface PaletteTokenCookieSettings {
  /** True when the backend is served over https (derive it from `backend.baseUrl`). */
  secure: boolean;
  /** Only sent to this path. Default `/api/spectrocloud`, the backend plugin's API. */
  path?: string;
  /** Lifetime in milliseconds; omit for a browser-session cookie. */
  maxAgeMs?: number;
}

/**
 * Express cookie options for the `spectrocloud-api-token` cookie: HTTP-only
 * (page scripts cannot read it), `SameSite=Lax`, `Secure` over https, and
 * scoped to the plugin's API path. The server never trusts this cookie's value
 * to pick a user: the middleware looks tokens up by the verified identity.
 *
 * @internal
 */
export function paletteTokenCookieOptions(settings: PaletteTokenCookieSettings): CookieOptions {
  const { secure, path = '/api/spectrocloud', maxAgeMs } = settings;
  return {
    httpOnly: true,
    sameSite: 'lax',
    secure,
    path,
    ...(maxAgeMs !== undefined && { maxAge: maxAgeMs }),
  };
}

/**
 * Removes the cookie (sign-out). Path and flags must match the ones it was
 * set with, or browsers keep it.
 *
 * @internal
 */
export function clearPaletteTokenCookie(res: Response, settings: Omit<PaletteTokenCookieSettings, 'maxAgeMs'>): void {
  res.clearCookie(PALETTE_TOKEN_COOKIE_NAME, paletteTokenCookieOptions({ secure: settings.secure, path: settings.path }));
}
