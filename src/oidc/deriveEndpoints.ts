/**
 * SpectroCloud's tenant endpoints sit side by side: `.../tenant/<id>/auth`,
 * `.../tenant/<id>/token`, `.../tenant/<id>/keys`. Only the final path
 * segment changes, so a URL that has `/auth` elsewhere in its path
 * (`.../v1/auth/org/x/oidc/authorize`) keeps it.
 */
export interface DerivedEndpoints {
  issuer: string;
  tokenUrl: string;
  jwksUrl: string;
  metadataUrl: string;
}

export function deriveEndpoints(authorizationUrl: string): DerivedEndpoints {
  const issuer = withoutFinalSegment(authorizationUrl);
  return {
    issuer,
    tokenUrl: `${issuer}/token`,
    jwksUrl: `${issuer}/keys`,
    metadataUrl: `${issuer}/.well-known/openid-configuration`,
  };
}

function withoutFinalSegment(value: string): string {
  const url = new URL(value);
  url.search = '';
  url.hash = '';
  const segments = url.pathname.replace(/\/+$/, '').split('/');
  segments.pop();
  url.pathname = segments.join('/');
  return url.toString().replace(/\/+$/, '');
}
