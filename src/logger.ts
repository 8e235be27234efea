/**
 * The one logger type of the package: the slice of a logger it writes to.
 * Backstage's `LoggerService` and a winston `Logger` (legacy backends) both
 * fit. Never handed a token, code, secret, key, e-mail or internal address.
 * Why public: the type of every `logger` option.
 *
 * @public
 */
export interface SpectroCloudLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}
