import type { PassportProfile, ProfileInfo } from '@backstage/plugin-auth-node';
import { SpectroCloudSignInError } from './errors';
import type { IdTokenClaims } from './oidc/IdTokenVerifier';

/** The auth result handed to `authHandler` and sign-in resolvers; built only from verified claims. */
export interface SpectroCloudAuthResult {
  fullProfile: PassportProfile;
  params: { id_token: string; scope: string; token_type?: string; expires_in: number };
  accessToken: string;
  /** verified ID token claims, including `groups` */
  claims: IdTokenClaims;
}

/**
 * The user's e-mail address, only when SpectroCloud does not say it is
 * unverified (OIDC Core 5.1). `email_verified: false` refuses the sign-in:
 * such an address never finds a catalog user, never reaches the profile and
 * never keys the Palette-token store. An absent claim is accepted, because
 * SpectroCloud's addresses are managed by the tenant's administrators;
 * `requireVerifiedEmail: true` makes the claim required (IdTokenVerifier).
 */
export function readEmail(claims: IdTokenClaims): string {
  refuseUnverifiedEmail(claims);
  if (typeof claims.email !== 'string' || !claims.email.includes('@')) {
    throw new SpectroCloudSignInError(
      'ERR_PROFILE_NO_EMAIL',
      'The SpectroCloud ID token has no "email" claim: request the "email" scope and make sure the user has an email address in SpectroCloud',
    );
  }
  return claims.email;
}

/** Throws ERR_EMAIL_NOT_VERIFIED when SpectroCloud marks the address unverified (OIDC Core 5.1). */
export function refuseUnverifiedEmail(claims: Pick<IdTokenClaims, 'email_verified'>): void {
  // Some issuers send the boolean as a string; "false" is as unverified as false.
  const verified: unknown = claims.email_verified;
  if (verified === false || verified === 'false') {
    throw new SpectroCloudSignInError(
      'ERR_EMAIL_NOT_VERIFIED',
      'SpectroCloud marks this user\'s email address as not verified ("email_verified": false), so it cannot be used to sign in: verify the address in SpectroCloud',
    );
  }
}

export function displayNameOf(claims: IdTokenClaims): string {
  const fromParts = [claims.given_name, claims.family_name].filter(Boolean).join(' ');
  return claims.name || fromParts || readEmail(claims);
}

/** The profile shown in Backstage: email, display name, picture. */
export function profileFromClaims(claims: IdTokenClaims): ProfileInfo {
  return {
    email: readEmail(claims),
    displayName: displayNameOf(claims),
    ...(claims.picture ? { picture: claims.picture } : {}),
  };
}

export function passportProfileFromClaims(claims: IdTokenClaims): PassportProfile {
  return {
    provider: 'spectrocloud',
    id: claims.sub,
    displayName: displayNameOf(claims),
    name: { givenName: claims.given_name ?? '', familyName: claims.family_name ?? '' },
    emails: [{ value: readEmail(claims) }],
    ...(claims.picture ? { photos: [{ value: claims.picture }] } : {}),
  };
}
