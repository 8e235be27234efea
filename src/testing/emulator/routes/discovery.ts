import type { RequestHandler } from 'express';
import type { EmulatorState } from '../state';

/** The OpenID Provider metadata; Kubernetes API servers and OIDC clients read it. */
export function discoveryRoute(state: EmulatorState): RequestHandler {
  return (_req, res) => {
    state.stats.discoveryRequests++;
    // Off by option: clients must fall back to deriving the endpoints from the authorization URL.
    if (!state.options.discovery) return void res.status(404).json({ error: 'not_found' });
    if (state.faults.discoveryDown) return void res.status(503).json({ error: 'temporarily_unavailable' });
    const { urls } = state;
    res.json({
      // The discoveryIssuer fault: a document that names another issuer, which clients must refuse.
      issuer: state.faults.discoveryIssuer ?? urls.issuer,
      authorization_endpoint: urls.authorizationUrl,
      token_endpoint: urls.tokenUrl,
      jwks_uri: state.faults.jwksPath ? `${urls.issuer}/${state.faults.jwksPath}` : urls.jwksUrl,
      userinfo_endpoint: urls.userinfoUrl,
      end_session_endpoint: urls.endSessionUrl,
      response_types_supported: ['code'],
      grant_types_supported: state.options.refreshTokenGrant ? ['authorization_code', 'refresh_token'] : ['authorization_code'],
      ...(state.options.authorizationResponseIss ? { authorization_response_iss_parameter_supported: true } : {}),
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
      scopes_supported: ['openid', 'profile', 'email', 'groups'],
      claims_supported: ['iss', 'sub', 'aud', 'azp', 'exp', 'iat', 'auth_time', 'nonce', 'acr', 'email', 'email_verified', 'given_name', 'family_name', 'name', 'groups', 'picture'],
      prompt_values_supported: ['none', 'login', 'consent', 'select_account'],
    });
  };
}
