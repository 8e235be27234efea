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
