/**
 * Every error this package raises carries a stable `code`, a message that
 * names what was wrong (never a token, code or secret) and the original
 * error as `cause`. The `name` reaches the sign-in popup through the
 * Backstage OAuthAdapter, so it is set per family.
 */
export type SpectroCloudErrorCode =
  | 'ERR_CONFIG'
  | 'ERR_IDP_DENIED'
  | 'ERR_IDP_ERROR'
  | 'ERR_MISSING_CODE'
  | 'ERR_TOKEN_ENDPOINT'
  | 'ERR_TIMEOUT'
  | 'ERR_DISCOVERY'
  | 'ERR_JWKS_UNAVAILABLE'
  | 'ERR_ID_TOKEN_MISSING'
  | 'ERR_ID_TOKEN_INVALID'
  | 'ERR_ID_TOKEN_SIGNATURE'
  | 'ERR_ID_TOKEN_ALGORITHM'
  | 'ERR_ID_TOKEN_CLAIM'
  | 'ERR_ID_TOKEN_EXPIRED'
  | 'ERR_PROFILE_NO_EMAIL'
  | 'ERR_SESSION_EXPIRED'
  | 'ERR_SESSION_INVALID'
  | 'ERR_BROWSER_BINDING'
  | 'ERR_REDIRECT_NOT_ALLOWED'
  | 'ERR_USER_NOT_FOUND'
  | 'ERR_TOKEN_STORE_UNAVAILABLE'
  | 'ERR_BACKSTAGE_TOKEN_MISSING'
  | 'ERR_BACKSTAGE_TOKEN_INVALID'
  | 'ERR_USER_EMAIL_MISMATCH'
  | 'ERR_SPECTROCLOUD_REAUTH_REQUIRED';

export class SpectroCloudAuthError extends Error {
  readonly code: SpectroCloudErrorCode;
  /** HTTP status for Backstage's error handler, where a request caused the error */
  readonly statusCode?: number;

  constructor(code: SpectroCloudErrorCode, message: string, options?: { cause?: unknown; statusCode?: number }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.name = new.target.name;
    if (options?.statusCode) this.statusCode = options.statusCode;
  }
}

/** A configuration key is missing or malformed; raised when the router is created. */
export class SpectroCloudConfigError extends SpectroCloudAuthError {
  constructor(message: string) {
    super('ERR_CONFIG', message);
  }
}

/** SpectroCloud answered with an RFC 6749 error (`error`, `error_description`). */
export class SpectroCloudIdpError extends SpectroCloudAuthError {
  readonly error: string;
  readonly errorDescription?: string;
  readonly status?: number;

  constructor(
    code: SpectroCloudErrorCode,
    message: string,
    details: { error: string; errorDescription?: string; status?: number; cause?: unknown },
  ) {
    super(code, message, { cause: details.cause });
    this.error = details.error;
    this.errorDescription = details.errorDescription;
    this.status = details.status;
  }
}

/** We could not reach SpectroCloud (token endpoint, discovery, JWKS). */
export class SpectroCloudNetworkError extends SpectroCloudAuthError {}

/** SpectroCloud answered, but we refused its ID token. `claim` names the offending claim. */
export class SpectroCloudTokenError extends SpectroCloudAuthError {
  readonly claim?: string;

  constructor(code: SpectroCloudErrorCode, message: string, options?: { claim?: string; cause?: unknown }) {
    super(code, message, { cause: options?.cause });
    this.claim = options?.claim;
  }
}

/** The browser session cannot be used any more: sign in again. */
export class SpectroCloudSessionError extends SpectroCloudAuthError {}
