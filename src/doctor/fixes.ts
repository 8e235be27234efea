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
  clockSkew: 'Sync clocks (NTP) or raise clockTolerance',
  startUrl: 'Check clientId, callbackUrl and authorizationUrl',
} as const;
