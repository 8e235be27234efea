import { MemoryTokenStore } from './memoryStore';
import { SessionTokenCache } from './sessionTokenCache';

/*
 * Compatibility with the API the plugin we replace documents
 * (`storeSessionToken` / `getSessionTokenByEmail`). They work on one
 * module-level cache, created lazily (a bounded MemoryTokenStore) unless
 * setDefaultSessionTokenCache() installed another, e.g. one on Redis.
 */

let defaultCache: SessionTokenCache | undefined;

/** The cache the compatibility functions use. @public */
export function getDefaultSessionTokenCache(): SessionTokenCache {
  defaultCache ??= new SessionTokenCache({ store: new MemoryTokenStore() });
  return defaultCache;
}

/**
 * Replaces the cache the compatibility functions use (e.g. with one built by
 * `createTokenStore(config)`). The previous cache is not closed.
 *
 * @public
 */
export function setDefaultSessionTokenCache(cache: SessionTokenCache): void {
  defaultCache = cache;
}

/**
 * Stores a SpectroCloud session token under an e-mail in the default cache.
 *
 * TRUSTS ITS CALLER: no identity check is made. Only pass an e-mail taken from
 * a verified ID token, never one supplied by a browser.
 *
 * @param expiresAt - epoch milliseconds; clamped to the token's own `exp`.
 * @returns a Promise (stores are asynchronous); the seed's version returned nothing.
 * @public
 */
export function storeSessionToken(email: string, token: string, expiresAt: number): Promise<void> {
  return getDefaultSessionTokenCache().remember({ email, sessionToken: token, expiresAt });
}

/**
 * The session token stored for an e-mail in the default cache.
 *
 * TRUSTS ITS CALLER: anyone who can call it with an e-mail gets that user's
 * token, so never pass an e-mail from a request header. Backend plugins should
 * use `getSpectroCloudToken` / `createSpectroCloudTokenMiddleware`, which look
 * up the verified Backstage identity instead.
 *
 * @returns a Promise, unlike the seed's synchronous version: await it.
 * @public
 */
export async function getSessionTokenByEmail(email: string): Promise<string | undefined> {
  return (await getDefaultSessionTokenCache().forEmail(email))?.sessionToken;
}
