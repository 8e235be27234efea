/**
 * Every key of an `auth.providers.<providerId>.<environment>` block. config.d.ts, the reader and the
 * table in docs/configuration.md are checked against this list (test/package/configSchema.test.ts).
 */
export const ENVIRONMENT_KEYS = [
  'clientId', 'clientSecret', 'authorizationUrl', 'callbackUrl', 'scope', 'additionalScopes', 'prompt',
  'tokenUrl', 'jwksUrl', 'metadataUrl', 'issuer', 'clockTolerance', 'timeout', 'tokenEndpointAuthMethod',
  'algorithms', 'signIn', 'startUrlSearchParams', 'signOutOfSpectroCloud', 'requireVerifiedEmail', 'sessionDuration', 'maxResponseBytes',
  'maxIdTokenBytes', 'proxy', 'ca', 'caFile', 'discoveryRefreshInterval', 'jwksCacheMaxAge', 'jwksRefetchInterval', 'refreshGrantInterval',
] as const;
