import type { TokenEndpointAuthMethod } from '../config/readEnvironmentConfig';

/**
 * How the client proves itself to SpectroCloud's endpoints: the secret in
 * the form body (post) or, form-urlencoded, in an HTTP Basic header (RFC 6749
 * section 2.3.1). One method per request, never both.
 */
export function clientAuthentication(
  method: TokenEndpointAuthMethod,
  clientId: string,
  clientSecret: string,
): { headers: Record<string, string>; body: Record<string, string> } {
  if (method === 'client_secret_basic') {
    return { headers: { Authorization: basicAuthorization(clientId, clientSecret) }, body: {} };
  }
  return { headers: {}, body: { client_id: clientId, client_secret: clientSecret } };
}

export function basicAuthorization(clientId: string, clientSecret: string): string {
  const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(clientSecret)}`).toString('base64')}`;
}
