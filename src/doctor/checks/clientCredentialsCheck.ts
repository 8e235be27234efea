import { randomBytes } from 'node:crypto';
import type { SpectroCloudAuthError } from '../../errors';
import type { OutboundClient } from '../../http/OutboundClient';
import { clientAuthentication } from '../../oidc/clientAuthentication';
import type { ResolvedEndpoints } from '../../oidc/EndpointResolver';
import { failed, passed, type CheckResult } from '../DoctorCheck';
import { FIXES } from '../fixes';
import type { DeploymentSettings } from './configCheck';

/**
 * `client-credentials`: the harmless token request. An authorization-code
 * grant with a code that cannot exist is refused either way; how it is
 * refused tells the credentials apart (RFC 6749 section 5.2): `invalid_client`
 * means the id, the secret or the way it is sent is wrong, `invalid_grant`
 * that the client was authenticated and only the made-up code was refused.
 */
export async function checkClientCredentials(
  { settings }: DeploymentSettings,
  http: OutboundClient,
  endpoints: ResolvedEndpoints,
): Promise<CheckResult> {
  const method = settings.tokenEndpointAuthMethod;
  const auth = clientAuthentication(method, settings.clientId, settings.clientSecret);
  const body = new URLSearchParams({
    grant_type: 'authorization_code',
    code: `doctor-${randomBytes(24).toString('base64url')}`,
    redirect_uri: settings.callbackUrl,
    code_verifier: randomBytes(32).toString('base64url'),
    ...auth.body,
  });
  let status: number;
  let error: string | undefined;
  try {
    const response = await http.request('token', endpoints.tokenUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json', ...auth.headers },
      body: body.toString(),
    });
    status = response.status;
    const json = response.json() as { error?: unknown } | undefined;
    error = typeof json?.error === 'string' && /^[a-z_]{1,64}$/.test(json.error) ? json.error : undefined;
  } catch (thrown) {
    const { code, message } = thrown as SpectroCloudAuthError;
    return failed('client-credentials', `${message}${code ? ` [${code}]` : ''}`, FIXES.tokenEndpointUnreachable);
  }
  const sent = `clientId '${settings.clientId}' with ${method}`;
  if (error === 'invalid_grant') {
    return passed('client-credentials', `${sent} accepted: a made-up code was refused with invalid_grant (HTTP ${status})`);
  }
  if (error === 'invalid_client') {
    return failed('client-credentials', `SpectroCloud refused ${sent} (invalid_client, HTTP ${status}): wrong clientId or clientSecret, or an auth method the client does not use`, FIXES.clientCredentials);
  }
  if (error === 'unauthorized_client') {
    return failed('client-credentials', `${sent} is authenticated but may not use the authorization-code grant (unauthorized_client)`, FIXES.clientGrant);
  }
  if (status >= 200 && status < 300) {
    return failed('client-credentials', `the token endpoint answered HTTP ${status} to a code that cannot exist; it does not look like an OAuth token endpoint`, FIXES.tokenEndpoint);
  }
  return failed(
    'client-credentials',
    `the token endpoint answered HTTP ${status}${error ? ` (${error})` : ' without an OAuth error'}; cannot tell whether the credentials are right`,
    FIXES.tokenEndpoint,
  );
}
