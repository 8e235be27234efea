import type { PaletteTokenCache } from '../stores/paletteTokenCache';

/**
 * `storeSessionToken` / `getSessionTokenByEmail` for code written against the
 * seeds, working on the cache you pass (the same one the provider uses), so
 * nothing is shared through module state. Why public: code written against
 * the seeds keeps its two calls.
 *
 * @public
 */
export function seedCompatibleApi(cache: PaletteTokenCache): {
  /**
   * Stores a Palette token under an e-mail.
   *
   * TRUSTS ITS CALLER: no identity check is made. Only pass an e-mail taken
   * from a verified ID token, never one supplied by a browser.
   *
   * @param expiresAt - epoch milliseconds; clamped to the token's own `exp`.
   * @returns a Promise (stores are asynchronous); the seed's version returned nothing.
   */
  storeSessionToken(email: string, token: string, expiresAt: number): Promise<void>;
  /**
   * The Palette token stored for an e-mail. TRUSTS ITS CALLER: never pass an
   * e-mail from a request header; backend plugins should use
   * `getPaletteToken` / `createPaletteTokenMiddleware`, which look up
   * the verified Backstage identity instead.
   *
   * @returns a Promise, unlike the seed's synchronous version: await it.
   */
  getSessionTokenByEmail(email: string): Promise<string | undefined>;
} {
  return {
    storeSessionToken: (email, token, expiresAt) => cache.remember({ email, sessionToken: token, expiresAt }),
    getSessionTokenByEmail: async email => (await cache.forEmail(email))?.sessionToken,
  };
}
