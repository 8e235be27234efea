import { SpectroCloudNetworkError } from '../errors';
import type { OutboundClient } from '../http/OutboundClient';
import { isHttpsOrLoopback } from '../http/isHttpsOrLoopback';

export interface DiscoveryDocument {
  issuer: string;
  tokenEndpoint: string;
  jwksUri: string;
  revocationEndpoint?: string;
  userinfoEndpoint?: string;
  /** RP-Initiated Logout 1.0 */
  endSessionEndpoint?: string;
  /** RFC 9207: every authorization response carries `iss` */
  authorizationResponseIssParameterSupported: boolean;
}

/**
 * What reading the discovery document gave: a document to use, a document
 * to refuse (it names another issuer or a plain-http endpoint: never fall
 * back from that), or no usable answer (unreachable, an HTTP error, not a
 * discovery document: derived endpoints may stand in).
 */
export type DiscoveryOutcome =
  | { kind: 'document'; document: DiscoveryDocument }
  | { kind: 'refused'; error: SpectroCloudNetworkError }
  | { kind: 'unavailable'; error: SpectroCloudNetworkError };

/**
 * Reads and checks `.well-known/openid-configuration` as OpenID Connect
 * Discovery 1.0 section 4.3 requires: the `issuer` it names must be the
 * issuer it was fetched for, and the endpoints it names must use https
 * (plain http only on loopback, for development and tests).
 */
export async function readDiscoveryDocument(http: OutboundClient, url: string, expectedIssuer: string): Promise<DiscoveryOutcome> {
  let body: unknown;
  try {
    const response = await http.request('discovery', url, { headers: { Accept: 'application/json' } });
    if (response.status !== 200) {
      return unavailable(`SpectroCloud's discovery document answered HTTP ${response.status}`);
    }
    body = response.json();
  } catch (error) {
    return { kind: 'unavailable', error: error as SpectroCloudNetworkError };
  }
  const fields = body as Record<string, unknown> | undefined;
  if (!fields || typeof fields !== 'object' || ['issuer', 'token_endpoint', 'jwks_uri'].some(field => typeof fields[field] !== 'string')) {
    return unavailable("SpectroCloud's discovery document lacks issuer, token_endpoint or jwks_uri");
  }
  const issuer = fields.issuer as string;
  if (withoutTrailingSlash(issuer) !== withoutTrailingSlash(expectedIssuer)) {
    return refused(
      'SpectroCloud\'s discovery document names another issuer than the one it was fetched for (OIDC Discovery 1.0 section 4.3); check authorizationUrl, issuer and metadataUrl',
    );
  }
  const endpoints = {
    token_endpoint: fields.token_endpoint as string,
    jwks_uri: fields.jwks_uri as string,
    userinfo_endpoint: optionalString(fields.userinfo_endpoint),
    revocation_endpoint: optionalString(fields.revocation_endpoint),
    end_session_endpoint: optionalString(fields.end_session_endpoint),
  };
  for (const [name, value] of Object.entries(endpoints)) {
    if (value !== undefined && !isHttpsOrLoopback(value)) {
      return refused(`SpectroCloud's discovery document names a "${name}" that is not an https URL`);
    }
  }
  return {
    kind: 'document',
    document: {
      issuer,
      tokenEndpoint: endpoints.token_endpoint,
      jwksUri: endpoints.jwks_uri,
      userinfoEndpoint: endpoints.userinfo_endpoint,
      revocationEndpoint: endpoints.revocation_endpoint,
      endSessionEndpoint: endpoints.end_session_endpoint,
      authorizationResponseIssParameterSupported: fields.authorization_response_iss_parameter_supported === true,
    },
  };
}

function unavailable(message: string): DiscoveryOutcome {
  return { kind: 'unavailable', error: new SpectroCloudNetworkError('ERR_DISCOVERY', message, { endpoint: 'discovery' }) };
}

function refused(message: string): DiscoveryOutcome {
  return { kind: 'refused', error: new SpectroCloudNetworkError('ERR_DISCOVERY', message, { endpoint: 'discovery' }) };
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value ? value : undefined;
}

function withoutTrailingSlash(value: string): string {
  return value.replace(/\/+$/, '');
}
