import type { DirectoryUser } from './users';

/** The profile claims Palette puts in both the ID token and the userinfo answer. */
export function profileClaims(user: DirectoryUser): Record<string, unknown> {
  return {
    sub: user.id,
    email: user.email,
    email_verified: true,
    given_name: user.given_name,
    family_name: user.family_name,
    name: user.name,
    groups: [...user.groups],
    ...(user.picture ? { picture: user.picture } : {}),
  };
}

export interface IdTokenContext {
  issuer: string;
  clientId: string;
  ttlSeconds: number;
  nonce?: string;
}

export function idTokenClaims(user: DirectoryUser, ctx: IdTokenContext): Record<string, unknown> {
  const iat = Math.floor(Date.now() / 1000);
  return {
    iss: ctx.issuer,
    ...profileClaims(user),
    aud: ctx.clientId,
    azp: ctx.clientId,
    iat,
    exp: iat + ctx.ttlSeconds,
    ...(ctx.nonce !== undefined ? { nonce: ctx.nonce } : {}),
  };
}
