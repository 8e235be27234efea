import type { SpectroCloudLogger } from '../logger';

/**
 * The key-value store with expiry where the package keeps Palette tokens,
 * sign-outs and refresh-grant claims: memory, Backstage's cache or Redis,
 * optionally encrypted. Why public: implement it to keep them somewhere else.
 *
 * @public
 */
export interface SpectroCloudStore {
  /** expiresAt: epoch milliseconds; entries past it are never returned */
  set(key: string, value: string, expiresAt: number): Promise<void>;
  get(key: string): Promise<string | undefined>;
  delete(key: string): Promise<void>;
  close(): Promise<void>;
  /**
   * Sets `key` only when it holds nothing (Redis `SET NX`), atomically for every
   * replica sharing the store; true when this call set it. Optional: a store
   * without it gives no cross-replica exclusion (short locks, e.g. one renewal per user).
   */
  claim?(key: string, expiresAt: number): Promise<boolean>;
}

/**
 * @deprecated Use {@link SpectroCloudStore}: the store also holds sign-outs and refresh-grant claims.
 * @public
 */
export type SpectroCloudTokenStore = SpectroCloudStore;

/**
 * @deprecated Use `SpectroCloudLogger`, the package's one logger type.
 * @public
 */
export type SessionTokenLogger = SpectroCloudLogger;
