/**
 * Every error this package raises is a {@link SpectroCloudAuthError} with a
 * stable `code` (one meaning per code: metrics count sign-in failures by it),
 * a message that names what was wrong (never a token, code, secret, email or
 * internal address) and the original error as `cause`. Each code belongs to
 * exactly one class (see {@link ERROR_CLASS_OF_CODE}). The `name` reaches the
 * sign-in popup through Backstage's OAuthAdapter.
 */
export type SpectroCloudErrorCode =
  // configuration (startup)
  | 'ERR_CONFIG'
  // SpectroCloud said no
  | 'ERR_IDP_DENIED'
  | 'ERR_IDP_ERROR'
  | 'ERR_TOKEN_REJECTED'
  | 'ERR_TOKEN_ENDPOINT_STATUS'
  // we could not reach SpectroCloud, or it answered something unusable
  | 'ERR_TOKEN_ENDPOINT_UNREACHABLE'
  | 'ERR_TOKEN_RESPONSE_INVALID'
  | 'ERR_TIMEOUT'
  | 'ERR_DISCOVERY'
  | 'ERR_JWKS_UNAVAILABLE'
  // the callback request itself
  | 'ERR_MISSING_CODE'
  | 'ERR_CALLBACK_UNEXPECTED'
  | 'ERR_AUTHORIZE_URL'
  | 'ERR_BROWSER_BINDING'
  | 'ERR_REDIRECT_NOT_ALLOWED'
  // we refused SpectroCloud's ID token
  | 'ERR_ID_TOKEN_MISSING'
  | 'ERR_ID_TOKEN_INVALID'
  | 'ERR_ID_TOKEN_SIGNATURE'
  | 'ERR_ID_TOKEN_ALGORITHM'
  | 'ERR_ID_TOKEN_CLAIM'
  | 'ERR_ID_TOKEN_EXPIRED'
  // mapping the verified user to Backstage
  | 'ERR_PROFILE_NO_EMAIL'
  | 'ERR_USER_NOT_FOUND'
  | 'ERR_USER_AMBIGUOUS'
  // the sealed refresh cookie
  | 'ERR_SESSION_MISSING'
  | 'ERR_SESSION_INVALID'
  | 'ERR_SESSION_TOO_LARGE'
  | 'ERR_SESSION_EXPIRED'
  | 'ERR_SESSION_UNVERIFIABLE'
  | 'ERR_SESSION_SUBJECT_CHANGED'
  // SpectroCloud's API token (store and hand-off to backend plugins)
  | 'ERR_TOKEN_STORE_UNAVAILABLE'
  | 'ERR_BACKSTAGE_TOKEN_MISSING'
  | 'ERR_BACKSTAGE_TOKEN_INVALID'
  | 'ERR_USER_EMAIL_MISMATCH'
  | 'ERR_SPECTROCLOUD_REAUTH_REQUIRED'
  // a bug or an error from outside this package
  | 'ERR_INTERNAL';

/** The base of every error this package raises. */
export class SpectroCloudAuthError extends Error {
  readonly code: SpectroCloudErrorCode;
  /** HTTP status for Backstage's error handler, where a request caused the error */
  readonly statusCode?: number;

  /** Protected: every code is raised through the one subclass that owns it. */
  protected constructor(code: SpectroCloudErrorCode, message: string, options?: { cause?: unknown; statusCode?: number }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.name = new.target.name;
    if (options?.statusCode) this.statusCode = options.statusCode;
  }

  /** Any thrown value as one of ours: foreign errors become `ERR_INTERNAL`, keeping them as `cause`. */
  static from(error: unknown): SpectroCloudAuthError {
    if (error instanceof SpectroCloudAuthError) return error;
    return new SpectroCloudAuthError('ERR_INTERNAL', 'SpectroCloud sign-in failed unexpectedly; see the backend log', { cause: error });
  }
}

/** A configuration key is missing or malformed; raised when the router is created. */
export class SpectroCloudConfigError extends SpectroCloudAuthError {
  /** Full config path of the offending setting, when there is one. */
  readonly configKey?: string;

  constructor(message: string, configKey?: string) {
    super('ERR_CONFIG', message, { statusCode: 500 });
    if (configKey) this.configKey = configKey;
  }
}

type IdpErrorCode = 'ERR_IDP_DENIED' | 'ERR_IDP_ERROR' | 'ERR_TOKEN_REJECTED' | 'ERR_TOKEN_ENDPOINT_STATUS';

/** SpectroCloud answered, and said no (an RFC 6749 `error`, or an HTTP error status). */
export class SpectroCloudIdpError extends SpectroCloudAuthError {
  declare readonly code: IdpErrorCode;
  readonly error: string;
  readonly errorDescription?: string;
  readonly status?: number;

  constructor(
    code: IdpErrorCode,
    message: string,
    details: { error: string; errorDescription?: string; status?: number; cause?: unknown },
  ) {
    super(code, message, { cause: details.cause });
    this.error = details.error;
    this.errorDescription = details.errorDescription;
    this.status = details.status;
  }
}

type NetworkErrorCode =
  | 'ERR_TOKEN_ENDPOINT_UNREACHABLE'
  | 'ERR_TOKEN_RESPONSE_INVALID'
  | 'ERR_TIMEOUT'
  | 'ERR_DISCOVERY'
  | 'ERR_JWKS_UNAVAILABLE';

/** We could not reach SpectroCloud, or what it sent could not be used. */
export class SpectroCloudNetworkError extends SpectroCloudAuthError {
  declare readonly code: NetworkErrorCode;

  constructor(code: NetworkErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

type CallbackErrorCode =
  | 'ERR_MISSING_CODE'
  | 'ERR_CALLBACK_UNEXPECTED'
  | 'ERR_AUTHORIZE_URL'
  | 'ERR_BROWSER_BINDING'
  | 'ERR_REDIRECT_NOT_ALLOWED';

/** The browser's request to `/start` or `/handler/frame` cannot be honoured. */
export class SpectroCloudRequestError extends SpectroCloudAuthError {
  declare readonly code: CallbackErrorCode;

  constructor(code: CallbackErrorCode, message: string, options?: { cause?: unknown; statusCode?: number }) {
    super(code, message, options);
  }
}

type TokenErrorCode =
  | 'ERR_ID_TOKEN_MISSING'
  | 'ERR_ID_TOKEN_INVALID'
  | 'ERR_ID_TOKEN_SIGNATURE'
  | 'ERR_ID_TOKEN_ALGORITHM'
  | 'ERR_ID_TOKEN_CLAIM'
  | 'ERR_ID_TOKEN_EXPIRED';

/** SpectroCloud answered, but we refused its ID token. `claim` names the offending claim. */
export class SpectroCloudTokenError extends SpectroCloudAuthError {
  declare readonly code: TokenErrorCode;
  readonly claim?: string;

  constructor(code: TokenErrorCode, message: string, options?: { claim?: string; cause?: unknown }) {
    super(code, message, { cause: options?.cause });
    this.claim = options?.claim;
  }
}

type SignInErrorCode = 'ERR_PROFILE_NO_EMAIL' | 'ERR_USER_NOT_FOUND' | 'ERR_USER_AMBIGUOUS';

/** The verified SpectroCloud user cannot be signed in to Backstage. */
export class SpectroCloudSignInError extends SpectroCloudAuthError {
  declare readonly code: SignInErrorCode;

  constructor(code: SignInErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, { ...options, statusCode: 401 });
  }
}

type RefreshSessionErrorCode =
  | 'ERR_SESSION_MISSING'
  | 'ERR_SESSION_INVALID'
  | 'ERR_SESSION_TOO_LARGE'
  | 'ERR_SESSION_EXPIRED'
  | 'ERR_SESSION_UNVERIFIABLE'
  | 'ERR_SESSION_SUBJECT_CHANGED';

/** The Backstage sign-in session (the sealed refresh cookie) cannot be used any more: sign in again. */
export class SpectroCloudRefreshSessionError extends SpectroCloudAuthError {
  declare readonly code: RefreshSessionErrorCode;

  constructor(code: RefreshSessionErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, { ...options, statusCode: 401 });
  }
}

/** Which class owns each code; a test keeps it and the README's troubleshooting table complete. */
export const ERROR_CLASS_OF_CODE: Readonly<Record<SpectroCloudErrorCode, string>> = {
  ERR_CONFIG: 'SpectroCloudConfigError',
  ERR_IDP_DENIED: 'SpectroCloudIdpError',
  ERR_IDP_ERROR: 'SpectroCloudIdpError',
  ERR_TOKEN_REJECTED: 'SpectroCloudIdpError',
  ERR_TOKEN_ENDPOINT_STATUS: 'SpectroCloudIdpError',
  ERR_TOKEN_ENDPOINT_UNREACHABLE: 'SpectroCloudNetworkError',
  ERR_TOKEN_RESPONSE_INVALID: 'SpectroCloudNetworkError',
  ERR_TIMEOUT: 'SpectroCloudNetworkError',
  ERR_DISCOVERY: 'SpectroCloudNetworkError',
  ERR_JWKS_UNAVAILABLE: 'SpectroCloudNetworkError',
  ERR_MISSING_CODE: 'SpectroCloudRequestError',
  ERR_CALLBACK_UNEXPECTED: 'SpectroCloudRequestError',
  ERR_AUTHORIZE_URL: 'SpectroCloudRequestError',
  ERR_BROWSER_BINDING: 'SpectroCloudRequestError',
  ERR_REDIRECT_NOT_ALLOWED: 'SpectroCloudRequestError',
  ERR_ID_TOKEN_MISSING: 'SpectroCloudTokenError',
  ERR_ID_TOKEN_INVALID: 'SpectroCloudTokenError',
  ERR_ID_TOKEN_SIGNATURE: 'SpectroCloudTokenError',
  ERR_ID_TOKEN_ALGORITHM: 'SpectroCloudTokenError',
  ERR_ID_TOKEN_CLAIM: 'SpectroCloudTokenError',
  ERR_ID_TOKEN_EXPIRED: 'SpectroCloudTokenError',
  ERR_PROFILE_NO_EMAIL: 'SpectroCloudSignInError',
  ERR_USER_NOT_FOUND: 'SpectroCloudSignInError',
  ERR_USER_AMBIGUOUS: 'SpectroCloudSignInError',
  ERR_SESSION_MISSING: 'SpectroCloudRefreshSessionError',
  ERR_SESSION_INVALID: 'SpectroCloudRefreshSessionError',
  ERR_SESSION_TOO_LARGE: 'SpectroCloudRefreshSessionError',
  ERR_SESSION_EXPIRED: 'SpectroCloudRefreshSessionError',
  ERR_SESSION_UNVERIFIABLE: 'SpectroCloudRefreshSessionError',
  ERR_SESSION_SUBJECT_CHANGED: 'SpectroCloudRefreshSessionError',
  ERR_TOKEN_STORE_UNAVAILABLE: 'SpectroCloudTokenStoreError',
  ERR_BACKSTAGE_TOKEN_MISSING: 'SpectroCloudAuthenticationError',
  ERR_BACKSTAGE_TOKEN_INVALID: 'SpectroCloudAuthenticationError',
  ERR_USER_EMAIL_MISMATCH: 'SpectroCloudNotAllowedError',
  ERR_SPECTROCLOUD_REAUTH_REQUIRED: 'SpectroCloudReAuthRequiredError',
  ERR_INTERNAL: 'SpectroCloudAuthError',
};
