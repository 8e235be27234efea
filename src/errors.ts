/**
 * Every code the package raises. Written out (not `keyof typeof ERROR_CLASS_OF_CODE`) so the published
 * type names no internal table; ERROR_CLASS_OF_CODE `satisfies` it, so the two cannot drift apart.
 * Why public: callers match failures on a code, not on a class or a message, and the compiler then
 * checks their cases against this list.
 */
export type SpectroCloudErrorCode =
  | 'ERR_CONFIG'
  | 'ERR_IDP_DENIED'
  | 'ERR_IDP_ERROR'
  | 'ERR_TOKEN_REJECTED'
  | 'ERR_TOKEN_ENDPOINT_STATUS'
  | 'ERR_TOKEN_ENDPOINT_UNREACHABLE'
  | 'ERR_TOKEN_RESPONSE_INVALID'
  | 'ERR_TIMEOUT'
  | 'ERR_DISCOVERY'
  | 'ERR_JWKS_UNAVAILABLE'
  | 'ERR_JWKS_RATE_LIMITED'
  | 'ERR_ENDPOINT_UNREACHABLE'
  | 'ERR_RESPONSE_TOO_LARGE'
  | 'ERR_TLS'
  | 'ERR_MISSING_CODE'
  | 'ERR_CALLBACK_UNEXPECTED'
  | 'ERR_AUTHORIZE_URL'
  | 'ERR_BROWSER_BINDING'
  | 'ERR_REDIRECT_NOT_ALLOWED'
  | 'ERR_LOGIN_HINT_INVALID'
  | 'ERR_AUTHORIZATION_RESPONSE_ISSUER'
  | 'ERR_ID_TOKEN_MISSING'
  | 'ERR_ID_TOKEN_INVALID'
  | 'ERR_ID_TOKEN_SIGNATURE'
  | 'ERR_ID_TOKEN_KEY_REFUSED'
  | 'ERR_ID_TOKEN_ALGORITHM'
  | 'ERR_ID_TOKEN_HEADER'
  | 'ERR_ID_TOKEN_CLAIM'
  | 'ERR_ID_TOKEN_EXPIRED'
  | 'ERR_ID_TOKEN_TOO_LARGE'
  | 'ERR_PROFILE_NO_EMAIL'
  | 'ERR_EMAIL_NOT_VERIFIED'
  | 'ERR_USER_NOT_FOUND'
  | 'ERR_USER_AMBIGUOUS'
  | 'ERR_EMAIL_DOMAIN_NOT_ALLOWED'
  | 'ERR_SESSION_MISSING'
  | 'ERR_SESSION_INVALID'
  | 'ERR_SESSION_TOO_LARGE'
  | 'ERR_SESSION_EXPIRED'
  | 'ERR_SESSION_UNVERIFIABLE'
  | 'ERR_SESSION_SUBJECT_CHANGED'
  | 'ERR_SESSION_DURATION_EXCEEDED'
  | 'ERR_SESSION_REVOKED'
  | 'ERR_TOKEN_STORE_UNAVAILABLE'
  | 'ERR_BACKSTAGE_TOKEN_MISSING'
  | 'ERR_BACKSTAGE_TOKEN_INVALID'
  | 'ERR_USER_EMAIL_MISMATCH'
  | 'ERR_SPECTROCLOUD_REAUTH_REQUIRED'
  | 'ERR_INTERNAL';

/** The codes {@link ERROR_CLASS_OF_CODE} gives to one class, so a class can raise no other. */
export type CodesOf<ClassName extends string> = {
  [Code in SpectroCloudErrorCode]: (typeof ERROR_CLASS_OF_CODE)[Code] extends ClassName ? Code : never;
}[SpectroCloudErrorCode];

/**
 * The base of every error this package raises, with a stable `code` (one meaning per code: metrics
 * count sign-in failures by it), a message that names what was wrong (never a token, code, secret,
 * email or internal address) and the original error as `cause`. Each code belongs to exactly one
 * class (the table `ERROR_CLASS_OF_CODE` below). The `name` reaches the sign-in popup through Backstage's
 * OAuthAdapter.
 * Why public: the one class a backend or plugin catches (`instanceof`) for anything this package
 * throws, then reads its `code`.
 */
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

type IdpErrorCode = CodesOf<'SpectroCloudIdpError'>;

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

type NetworkErrorCode = CodesOf<'SpectroCloudNetworkError'>;

/** Which of SpectroCloud's endpoints a request went to (see src/http/OutboundClient). */
export type SpectroCloudEndpoint = 'discovery' | 'token' | 'jwks' | 'userinfo' | 'revocation' | 'authorization' | 'paletteApi';

/** We could not reach SpectroCloud, or what it sent could not be used. */
export class SpectroCloudNetworkError extends SpectroCloudAuthError {
  declare readonly code: NetworkErrorCode;
  /** The endpoint the failed request went to, when one request failed. */
  readonly endpoint?: SpectroCloudEndpoint;

  constructor(code: NetworkErrorCode, message: string, options?: { cause?: unknown; endpoint?: SpectroCloudEndpoint }) {
    super(code, message, { cause: options?.cause });
    if (options?.endpoint) this.endpoint = options.endpoint;
  }
}

type CallbackErrorCode = CodesOf<'SpectroCloudRequestError'>;

/** The browser's request to `/start` or `/handler/frame` cannot be honoured. */
export class SpectroCloudRequestError extends SpectroCloudAuthError {
  declare readonly code: CallbackErrorCode;

  constructor(code: CallbackErrorCode, message: string, options?: { cause?: unknown; statusCode?: number }) {
    super(code, message, options);
  }
}

type TokenErrorCode = CodesOf<'SpectroCloudTokenError'>;

/** SpectroCloud answered, but we refused its ID token. `claim` names the offending claim. */
export class SpectroCloudTokenError extends SpectroCloudAuthError {
  declare readonly code: TokenErrorCode;
  readonly claim?: string;

  constructor(code: TokenErrorCode, message: string, options?: { claim?: string; cause?: unknown }) {
    super(code, message, { cause: options?.cause });
    this.claim = options?.claim;
  }
}

type SignInErrorCode = CodesOf<'SpectroCloudSignInError'>;

/** The verified SpectroCloud user cannot be signed in to Backstage. */
export class SpectroCloudSignInError extends SpectroCloudAuthError {
  declare readonly code: SignInErrorCode;

  constructor(code: SignInErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, { ...options, statusCode: 401 });
  }
}

type RefreshSessionErrorCode = CodesOf<'SpectroCloudRefreshSessionError'>;

/** The Backstage sign-in session (the sealed refresh cookie) cannot be used any more: sign in again. */
export class SpectroCloudRefreshSessionError extends SpectroCloudAuthError {
  declare readonly code: RefreshSessionErrorCode;

  constructor(code: RefreshSessionErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, { ...options, statusCode: 401 });
  }
}

/** Which class owns each code; a test keeps it and the troubleshooting table (docs/troubleshooting.md) complete. */
export const ERROR_CLASS_OF_CODE = {
  // configuration (startup)
  ERR_CONFIG: 'SpectroCloudConfigError',
  // SpectroCloud said no
  ERR_IDP_DENIED: 'SpectroCloudIdpError',
  ERR_IDP_ERROR: 'SpectroCloudIdpError',
  ERR_TOKEN_REJECTED: 'SpectroCloudIdpError',
  ERR_TOKEN_ENDPOINT_STATUS: 'SpectroCloudIdpError',
  // we could not reach SpectroCloud, or it answered something unusable
  ERR_TOKEN_ENDPOINT_UNREACHABLE: 'SpectroCloudNetworkError',
  ERR_TOKEN_RESPONSE_INVALID: 'SpectroCloudNetworkError',
  ERR_TIMEOUT: 'SpectroCloudNetworkError',
  ERR_DISCOVERY: 'SpectroCloudNetworkError',
  ERR_JWKS_UNAVAILABLE: 'SpectroCloudNetworkError',
  ERR_JWKS_RATE_LIMITED: 'SpectroCloudNetworkError',
  ERR_ENDPOINT_UNREACHABLE: 'SpectroCloudNetworkError',
  ERR_RESPONSE_TOO_LARGE: 'SpectroCloudNetworkError',
  ERR_TLS: 'SpectroCloudNetworkError',
  // the callback request itself
  ERR_MISSING_CODE: 'SpectroCloudRequestError',
  ERR_CALLBACK_UNEXPECTED: 'SpectroCloudRequestError',
  ERR_AUTHORIZE_URL: 'SpectroCloudRequestError',
  ERR_BROWSER_BINDING: 'SpectroCloudRequestError',
  ERR_REDIRECT_NOT_ALLOWED: 'SpectroCloudRequestError',
  ERR_LOGIN_HINT_INVALID: 'SpectroCloudRequestError',
  ERR_AUTHORIZATION_RESPONSE_ISSUER: 'SpectroCloudRequestError',
  // we refused SpectroCloud's ID token
  ERR_ID_TOKEN_MISSING: 'SpectroCloudTokenError',
  ERR_ID_TOKEN_INVALID: 'SpectroCloudTokenError',
  ERR_ID_TOKEN_SIGNATURE: 'SpectroCloudTokenError',
  ERR_ID_TOKEN_KEY_REFUSED: 'SpectroCloudTokenError',
  ERR_ID_TOKEN_ALGORITHM: 'SpectroCloudTokenError',
  ERR_ID_TOKEN_HEADER: 'SpectroCloudTokenError',
  ERR_ID_TOKEN_CLAIM: 'SpectroCloudTokenError',
  ERR_ID_TOKEN_EXPIRED: 'SpectroCloudTokenError',
  ERR_ID_TOKEN_TOO_LARGE: 'SpectroCloudTokenError',
  // mapping the verified user to Backstage
  ERR_PROFILE_NO_EMAIL: 'SpectroCloudSignInError',
  ERR_EMAIL_NOT_VERIFIED: 'SpectroCloudSignInError',
  ERR_USER_NOT_FOUND: 'SpectroCloudSignInError',
  ERR_USER_AMBIGUOUS: 'SpectroCloudSignInError',
  ERR_EMAIL_DOMAIN_NOT_ALLOWED: 'SpectroCloudSignInError',
  // the sealed refresh cookie
  ERR_SESSION_MISSING: 'SpectroCloudRefreshSessionError',
  ERR_SESSION_INVALID: 'SpectroCloudRefreshSessionError',
  ERR_SESSION_TOO_LARGE: 'SpectroCloudRefreshSessionError',
  ERR_SESSION_EXPIRED: 'SpectroCloudRefreshSessionError',
  ERR_SESSION_UNVERIFIABLE: 'SpectroCloudRefreshSessionError',
  ERR_SESSION_SUBJECT_CHANGED: 'SpectroCloudRefreshSessionError',
  ERR_SESSION_DURATION_EXCEEDED: 'SpectroCloudRefreshSessionError',
  ERR_SESSION_REVOKED: 'SpectroCloudRefreshSessionError',
  // SpectroCloud's API token (store and hand-off to backend plugins)
  ERR_TOKEN_STORE_UNAVAILABLE: 'SpectroCloudTokenStoreError',
  ERR_BACKSTAGE_TOKEN_MISSING: 'SpectroCloudAuthenticationError',
  ERR_BACKSTAGE_TOKEN_INVALID: 'SpectroCloudAuthenticationError',
  ERR_USER_EMAIL_MISMATCH: 'SpectroCloudNotAllowedError',
  ERR_SPECTROCLOUD_REAUTH_REQUIRED: 'SpectroCloudReAuthRequiredError',
  // a bug or an error from outside this package
  ERR_INTERNAL: 'SpectroCloudAuthError',
} as const satisfies Record<SpectroCloudErrorCode, string>;
