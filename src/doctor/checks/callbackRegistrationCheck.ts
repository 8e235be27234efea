import { createHash, randomBytes } from 'node:crypto';
import type { SpectroCloudAuthError } from '../../errors';
import type { OutboundClient } from '../../http/OutboundClient';
import { failed, passed, type CheckResult } from '../DoctorCheck';
import { FIXES } from '../fixes';
import type { DeploymentSettings } from './configCheck';

/**
 * `callback-registered`: an authorization request with the callback URL, as
 * far as the issuer lets that be seen without a user. OAuth servers must not
 * redirect to an unregistered redirect_uri (RFC 6749 section 4.1.2.1): they
 * answer with an error page of their own. A login page (or a redirect) means
 * client_id and callback URL were accepted. The request is not followed.
 */
export async function checkCallbackRegistration({ settings }: DeploymentSettings, http: OutboundClient): Promise<CheckResult> {
  const url = new URL(settings.authorizationUrl);
  const verifier = randomBytes(32).toString('base64url');
  for (const [name, value] of Object.entries({
    client_id: settings.clientId,
    redirect_uri: settings.callbackUrl,
    response_type: 'code',
    scope: settings.scope,
    state: randomBytes(16).toString('base64url'),
    nonce: randomBytes(16).toString('base64url'),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  })) {
    url.searchParams.set(name, value);
  }
  let status: number;
  let location: string | undefined;
  try {
    const response = await http.request('authorization', url.toString(), { headers: { Accept: 'text/html' } });
    status = response.status;
    location = typeof response.headers.location === 'string' ? response.headers.location : undefined;
  } catch (error) {
    const { code, message } = error as SpectroCloudAuthError;
    return failed('callback-registered', `${message}${code ? ` [${code}]` : ''}`, FIXES.authorizationUnreachable);
  }
  if (status >= 400) {
    return failed(
      'callback-registered',
      `SpectroCloud answered the authorization request for ${settings.callbackUrl} with an error page (HTTP ${status}) instead of its login page: the callback URL (or clientId) is not registered`,
      FIXES.callbackRegistered,
    );
  }
  if (status >= 300 && location) {
    const target = new URL(location, url);
    const back = target.origin + target.pathname === settings.callbackUrl.split('?')[0];
    return passed('callback-registered', back ? `SpectroCloud sends the browser back to ${settings.callbackUrl}` : `SpectroCloud accepted the request and redirects to its sign-in (HTTP ${status})`);
  }
  return passed('callback-registered', `SpectroCloud shows its login page for ${settings.callbackUrl} (HTTP ${status})`);
}
