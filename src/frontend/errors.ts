/**
 * Stable codes for every failure the frontend part of this package reports.
 *
 * @public
 */
export type SpectroCloudFrontendErrorCode =
  | 'ERR_REAUTH_POPUP_CLOSED'
  | 'ERR_REAUTH_POPUP_BLOCKED'
  | 'ERR_REAUTH_REJECTED'
  | 'ERR_REAUTH_USER_CHANGED'
  | 'ERR_REAUTH_FAILED'
  | 'ERR_ID_TOKEN_MISSING'
  | 'ERR_ID_TOKEN_MALFORMED'
  | 'ERR_ID_TOKEN_ALGORITHM';

/**
 * Base class of the errors thrown by the frontend part of this package.
 * Messages say what happened and never contain a token.
 *
 * @public
 */
export class SpectroCloudFrontendError extends Error {
  readonly code: SpectroCloudFrontendErrorCode;

  constructor(code: SpectroCloudFrontendErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SpectroCloudFrontendError';
    this.code = code;
  }
}

/**
 * The SpectroCloud session could not be renewed after the backend asked for a
 * new sign-in (`X-SpectroCloud-ReAuth-Required: true`).
 *
 * @public
 */
export class SpectroCloudReAuthError extends SpectroCloudFrontendError {
  constructor(code: SpectroCloudFrontendErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'SpectroCloudReAuthError';
  }
}

/**
 * The SpectroCloud auth API handed out something that is not an ID token we
 * may forward (missing, not a JWT, or signed with a refused algorithm such as
 * the HS256 Palette token).
 *
 * @public
 */
export class SpectroCloudIdTokenError extends SpectroCloudFrontendError {
  constructor(code: SpectroCloudFrontendErrorCode, message: string) {
    super(code, message);
    this.name = 'SpectroCloudIdTokenError';
  }
}
