/** Every address the emulated tenant answers at, derived from where it listens. */
export interface EmulatorUrls {
  url: string;
  issuer: string;
  /** The issuer's path: routes are mounted under it. */
  tenantPath: string;
  authorizationUrl: string;
  tokenUrl: string;
  jwksUrl: string;
  userinfoUrl: string;
  discoveryUrl: string;
  endSessionUrl: string;
}

export function emulatorUrls(baseUrl: string, tenantId: string): EmulatorUrls {
  const url = baseUrl.replace(/\/+$/, '');
  const tenantPath = `/v1/oidc/tenant/${tenantId}`;
  const issuer = `${url}${tenantPath}`;
  return {
    url,
    issuer,
    tenantPath,
    authorizationUrl: `${issuer}/auth`,
    tokenUrl: `${issuer}/token`,
    jwksUrl: `${issuer}/keys`,
    userinfoUrl: `${issuer}/userinfo`,
    discoveryUrl: `${issuer}/.well-known/openid-configuration`,
    endSessionUrl: `${issuer}/logout`,
  };
}
