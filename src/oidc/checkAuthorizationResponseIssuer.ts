import { SpectroCloudRequestError } from '../errors';
import type { ResolvedEndpoints } from './EndpointResolver';

/**
 * RFC 9207 (authorization server issuer identification), on the callback's
 * query, success or error alike: an `iss` parameter must be exactly the
 * issuer the sign-in was sent to (section 2.4, simple string comparison),
 * and when discovery says `authorization_response_iss_parameter_supported`
 * a missing one is refused too. With several tenants side by side this is
 * the mix-up defence of RFC 9700 section 4.4, on top of distinct callback URLs.
 */
export function checkAuthorizationResponseIssuer(
  query: Record<string, unknown>,
  endpoints: Pick<ResolvedEndpoints, 'issuer' | 'authorizationResponseIssRequired'>,
): void {
  const iss = query.iss;
  if (iss === undefined) {
    if (!endpoints.authorizationResponseIssRequired) return;
    throw issuerError('The sign-in callback carries no "iss" parameter although SpectroCloud promises one (RFC 9207); start the sign-in again');
  }
  if (typeof iss !== 'string' || iss !== endpoints.issuer) {
    throw issuerError('The sign-in callback names another issuer ("iss" parameter, RFC 9207) than the one the sign-in was sent to; start the sign-in again');
  }
}

function issuerError(message: string): SpectroCloudRequestError {
  return new SpectroCloudRequestError('ERR_AUTHORIZATION_RESPONSE_ISSUER', message, { statusCode: 400 });
}
