import type { Response } from 'express';

/** An RFC 6749 error answer from the token or userinfo endpoint. */
export class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
  ) {
    super(`${error}: ${description}`);
    this.name = 'OAuthError';
  }
}

export function sendOAuthError(res: Response, err: OAuthError): void {
  // RFC 6749 5.2: a 401 invalid_client names the scheme the client may use.
  if (err.status === 401 && err.error === 'invalid_client') res.set('WWW-Authenticate', 'Basic realm="spectrocloud-emulator"');
  res.status(err.status).set('Cache-Control', 'no-store').json({ error: err.error, error_description: err.description });
}
