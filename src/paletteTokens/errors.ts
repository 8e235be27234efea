/**
 * Errors raised by the Palette-token store and the backend-plugin hand-off.
 *
 * Every error carries a stable `code` and an HTTP `statusCode`. Backstage's
 * legacy `errorHandler` (backend-common) reads `statusCode` first, so a plugin
 * that simply rethrows one of these gets the right HTTP status. Messages never
 * contain token values, store keys, e-mails or connection URLs.
 */

import { SpectroCloudAuthError, type SpectroCloudErrorCode } from '../errors';

/**
 * The codes of the errors below (ERROR_CLASS_OF_CODE gives them to these classes).
 *
 * @deprecated Use `SpectroCloudErrorCode`.
 * @public
 */
export type SpectroCloudPaletteTokenErrorCode = Extract<
  SpectroCloudErrorCode,
  'ERR_TOKEN_STORE_UNAVAILABLE' | 'ERR_BACKSTAGE_TOKEN_MISSING' | 'ERR_BACKSTAGE_TOKEN_INVALID' | 'ERR_USER_EMAIL_MISMATCH' | 'ERR_SPECTROCLOUD_REAUTH_REQUIRED'
>;

/**
 * Base of the errors about the Palette token: its store and its hand-off to backend plugins.
 *
 * @deprecated Match `SpectroCloudAuthError` and its `code`; still the class thrown.
 * @public
 */
export class SpectroCloudPaletteTokenError extends SpectroCloudAuthError {
  declare readonly code: SpectroCloudPaletteTokenErrorCode;
  declare readonly statusCode: number;

  constructor(code: SpectroCloudPaletteTokenErrorCode, statusCode: number, message: string, options?: { cause?: unknown }) {
    super(code, message, { ...options, statusCode });
  }
}

/**
 * The backing store (Redis) could not be reached or answered with an error.
 * HTTP 503: the user's Palette token may well still exist, we just cannot read it now.
 *
 * @deprecated Match `SpectroCloudAuthError` with code `ERR_TOKEN_STORE_UNAVAILABLE`; still the class thrown.
 * @public
 */
export class SpectroCloudTokenStoreError extends SpectroCloudPaletteTokenError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_TOKEN_STORE_UNAVAILABLE', 503, message, options);
  }
}

/**
 * The request has no Backstage token, or one that does not verify. HTTP 401.
 *
 * @deprecated Match `SpectroCloudAuthError` with code `ERR_BACKSTAGE_TOKEN_MISSING` or `ERR_BACKSTAGE_TOKEN_INVALID`; still the class thrown.
 * @public
 */
export class SpectroCloudAuthenticationError extends SpectroCloudPaletteTokenError {
  constructor(code: 'ERR_BACKSTAGE_TOKEN_MISSING' | 'ERR_BACKSTAGE_TOKEN_INVALID', message: string) {
    super(code, 401, message);
  }
}

/**
 * The caller asked for a SpectroCloud identity other than its own. HTTP 403.
 *
 * @deprecated Match `SpectroCloudAuthError` with code `ERR_USER_EMAIL_MISMATCH`; still the class thrown.
 * @public
 */
export class SpectroCloudNotAllowedError extends SpectroCloudPaletteTokenError {
  constructor(message: string) {
    super('ERR_USER_EMAIL_MISMATCH', 403, message);
  }
}

/**
 * The caller is a signed-in Backstage user but this backend holds no SpectroCloud
 * Palette token for it (expired, evicted, or lost in a restart). HTTP 401; the
 * frontend recovers by signing in with SpectroCloud again.
 *
 * @deprecated Match `SpectroCloudAuthError` with code `ERR_SPECTROCLOUD_REAUTH_REQUIRED`; still the class thrown.
 * @public
 */
export class SpectroCloudReAuthRequiredError extends SpectroCloudPaletteTokenError {
  constructor(message: string) {
    super('ERR_SPECTROCLOUD_REAUTH_REQUIRED', 401, message);
  }
}

/**
 * Keep only the message and error code of a driver error: ioredis attaches the
 * command and its arguments (our keys and token values) to reply errors, and
 * socket errors name the address they could not reach, which is redacted.
 */
export function sanitizeCause(error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  const sanitized = new Error(redactAddresses(message));
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') (sanitized as Error & { code?: string }).code = code;
  return sanitized;
}

const SOCKET_FAILURES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'host name lookup failed',
  EPIPE: 'connection closed while writing',
};

/**
 * What went wrong with a store connection, in words an operator can act on
 * and without the host, port or URL (those are internal addresses): the
 * socket error code when there is one, else the driver's message redacted.
 */
export function describeConnectionFailure(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && SOCKET_FAILURES[code]) return `${SOCKET_FAILURES[code]} (${code})`;
  return sanitizeCause(error).message;
}

/** Replaces URLs, IP addresses and host:port pairs with a placeholder. */
export function redactAddresses(text: string): string {
  return text
    .replace(/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, '<address>')
    .replace(/\[[0-9a-f:.]+\](:\d+)?/gi, '<address>')
    .replace(/\b\d{1,3}(\.\d{1,3}){3}(:\d+)?\b/g, '<address>')
    .replace(/\b[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*:\d{2,5}\b/gi, '<address>');
}
