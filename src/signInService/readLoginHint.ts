import { SpectroCloudRequestError } from '../errors';

// An email address is at most 254 characters; SpectroCloud needs nothing longer.
const LOGIN_HINT = /^[^\s\x00-\x1f\x7f]{1,254}$/u;

/**
 * `login_hint` from `/start` (Backstage's frontend may send it), forwarded
 * to SpectroCloud so its login page can preselect the account. One printable
 * value of at most 254 characters; anything else is refused, without echoing it.
 */
export function readLoginHint(query: Record<string, unknown>): string | undefined {
  const value = query.login_hint;
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || !LOGIN_HINT.test(value)) {
    throw new SpectroCloudRequestError(
      'ERR_LOGIN_HINT_INVALID',
      'The login_hint parameter of /start must be one value of at most 254 printable characters without spaces (an email address)',
      { statusCode: 400 },
    );
  }
  return value;
}
