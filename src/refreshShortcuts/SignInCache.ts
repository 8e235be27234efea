import { createHash } from 'node:crypto';

/**
 * How long one session's sign-in resolution (profile, catalog lookup, the
 * Backstage token issued for it) is served again to refreshes of the same
 * session with the same tokens. It bounds how long a user removed from the
 * catalog (or whose ownership changed) keeps getting a Backstage token: no
 * refresh hands one out later than this after the catalog said so. A token
 * handed out earlier lives its own lifetime, as Backstage's tokens always do.
 */
export const DEFAULT_SIGN_IN_REUSE_MS = 10_000;
/** Sessions held at most; the least recently used goes first. */
export const DEFAULT_SIGN_IN_CACHE_ENTRIES = 5_000;

export interface SignInCacheOptions {
  /** 0 turns the cache off */
  reuseForMs?: number;
  maxEntries?: number;
  clock?: () => number;
}

/** Which resolution may be reused: the same session, holding the same tokens. */
export interface SignInCacheKey {
  sessionId: string;
  idToken: string;
  accessToken: string;
}

interface Entry<T> {
  /** SHA-256 of the tokens: a changed ID or access token is a different sign-in result */
  tokens: string;
  until: number;
  value: Promise<T>;
}

/**
 * A small per-process cache of sign-in resolutions for refreshes: one entry
 * per session, bounded in time and size, one resolution in flight per
 * session (concurrent refreshes of one session share it). A failed
 * resolution is never kept, so a refused user is asked about again.
 * Sign-out and `sessionDuration` are checked before it is consulted.
 */
export class SignInCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly reuseForMs: number;
  private readonly maxEntries: number;
  private readonly clock: () => number;

  constructor(options: SignInCacheOptions = {}) {
    this.reuseForMs = options.reuseForMs ?? DEFAULT_SIGN_IN_REUSE_MS;
    this.maxEntries = options.maxEntries ?? DEFAULT_SIGN_IN_CACHE_ENTRIES;
    this.clock = options.clock ?? Date.now;
  }

  /** The resolution for `key`, reused while fresh, else made by `resolve` (and kept when it succeeds). */
  resolve(key: SignInCacheKey | undefined, resolve: () => Promise<T>): Promise<T> {
    if (!key || this.reuseForMs <= 0) return resolve();
    const now = this.clock();
    const tokens = createHash('sha256').update(key.idToken).update('\n').update(key.accessToken).digest('base64url');
    const found = this.entries.get(key.sessionId);
    if (found && found.tokens === tokens && now < found.until && now >= found.until - this.reuseForMs) {
      this.entries.delete(key.sessionId);
      this.entries.set(key.sessionId, found); // now the most recently used
      return found.value;
    }
    const value = resolve();
    const entry: Entry<T> = { tokens, until: now + this.reuseForMs, value };
    this.entries.delete(key.sessionId);
    while (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key.sessionId, entry);
    value.catch(() => {
      if (this.entries.get(key.sessionId) === entry) this.entries.delete(key.sessionId);
    });
    return value;
  }

  /** Forgets a session's resolution (its sign-out on this replica). */
  forget(sessionId: string): void {
    this.entries.delete(sessionId);
  }

  get size(): number {
    return this.entries.size;
  }
}
