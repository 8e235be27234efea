/**
 * What the person on call should do for each doctor failure. Each text is the
 * "Fix" cell of a row in the troubleshooting table (docs/troubleshooting.md); a test keeps
 * the two the same.
 */
export const FIXES = {
  configFiles: 'Pass the files your backend starts with (--config, repeatable) and set the environment variables they substitute',
  config: 'Set it as the message shows',
  callbackUrl: 'Set callbackUrl to <backend.baseUrl>/api/auth/<providerId>/handler/frame, https unless localhost, and register it at SpectroCloud',
  caFile: 'Point caFile (or NODE_EXTRA_CA_CERTS) at a readable PEM file of the CA certificates',
  proxy: 'Write the proxy as an absolute http(s) URL (HTTPS_PROXY or the proxy setting); list hosts to reach directly in NO_PROXY',
  discovery: "Check egress to the tenant; set metadataUrl (or issuer, tokenUrl and jwksUrl)",
  issuer: "Set issuer to the tenant's issuer",
  jwks: 'Check egress; set jwksUrl',
  jwksKeys: "Add the tenant's algorithm to algorithms if it is asymmetric",
  signingKeys: 'Ask SpectroCloud to publish each signing key once, public members only, RSA of 2048 bits or more, with an alg and curve that fit',
  clockSkew: 'Sync clocks (NTP) or raise clockTolerance',
  startUrl: 'Check clientId, callbackUrl and authorizationUrl',
  clientCredentials: 'Copy clientId and clientSecret again from SpectroCloud (Tenant Settings -> OAuth Integrations); if they are right, try the other tokenEndpointAuthMethod',
  clientGrant: 'Allow the authorization code grant for this OAuth client in SpectroCloud',
  tokenEndpoint: "Check tokenUrl points at the tenant's token endpoint",
  tokenEndpointUnreachable: 'Check egress to the tenant; set tokenUrl',
  scope: 'Add the missing scope to scope or additionalScopes, e.g. additionalScopes: [email, groups]',
  callbackRegistered: 'Register callbackUrl exactly (scheme, host, port, path) as a redirect URI of the OAuth client in SpectroCloud, and check clientId',
  authorizationUnreachable: 'Check egress to the tenant and authorizationUrl',
  baseUrls: 'Set backend.baseUrl to the URL browsers reach the backend at and callbackUrl to <backend.baseUrl>/api/auth/<providerId>/handler/frame (or remove it); serve app and backend both over https',
  cors: 'Set backend.cors.origin to the app origin (app.baseUrl) and backend.cors.credentials: true',
  sessionSecret: 'Set auth.session.secret to a long random value (openssl rand -base64 32)',
  apiTokenCookie: 'Remove tokenStore.paletteTokenCookie (or its old name apiTokenCookie) once no code reads the spectrocloud-api-token cookie; backend plugins get the Palette token by the verified identity (palette-tokens middleware or the Palette-token service of ./session-token-service)',
  tokenStore: 'Check tokenStore.redis (address, password, TLS) and that Redis is up; the message says which part failed',
} as const;
