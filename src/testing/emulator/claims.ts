import type { DirectoryUser } from './users';

/**
 * The profile claims Palette puts in both the ID token and the userinfo answer.
 * `groups` only when the `groups` scope was granted, as OIDC servers do for
 * claims behind an optional scope.
 */
export function profileClaims(user: DirectoryUser, scope: string): Record<string, unknown> {
  return {
    sub: user.id,
    email: user.email,
    email_verified: true,
    given_name: user.given_name,
    family_name: user.family_name,
    name: user.name,
    ...(scope.split(' ').includes('groups') ? { groups: [...user.groups] } : {}),
    ...(user.picture ? { picture: user.picture } : {}),
  };
}

export interface IdTokenContext {
  issuer: string;
  clientId: string;
  ttlSeconds: number;
  /** Seconds since the epoch: becomes `iat`. */
  now: number;
  /** When the user authenticated, seconds since the epoch. */
  authTime: number;
  scope: string;
  nonce?: string;
  acr?: string;
  /** Length of an extra `emulator_padding` claim (the idTokenPadBytes fault). */
  padBytes?: number;
}

export function idTokenClaims(user: DirectoryUser, ctx: IdTokenContext): Record<string, unknown> {
  return {
    iss: ctx.issuer,
    ...profileClaims(user, ctx.scope),
    aud: ctx.clientId,
    azp: ctx.clientId,
    iat: ctx.now,
    exp: ctx.now + ctx.ttlSeconds,
    auth_time: ctx.authTime,
    ...(ctx.nonce !== undefined ? { nonce: ctx.nonce } : {}),
    ...(ctx.acr !== undefined ? { acr: ctx.acr } : {}),
    ...(ctx.padBytes ? { emulator_padding: 'x'.repeat(ctx.padBytes) } : {}),
  };
}
