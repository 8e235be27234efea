/**
 * Where SpectroCloud session tokens live between sign-in and the backend
 * plugin's API call. Implementations: {@link MemoryTokenStore},
 * {@link RedisTokenStore}, and the {@link EncryptedTokenStore} decorator.
 *
 * @public
 */
export interface SpectroCloudTokenStore {
  /** expiresAt: epoch milliseconds; entries past it are never returned */
  set(key: string, token: string, expiresAt: number): Promise<void>;
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
 * The slice of a logger this module uses. Backstage's `LoggerService` and a
 * winston `Logger` (legacy backends) both fit.
 *
 * @public
 */
export interface SessionTokenLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}
