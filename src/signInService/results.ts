import type { Request } from 'express';
import type { SessionPayload } from '../refreshSession/SealedSession';
import type { RedirectState } from './assertRedirectAllowed';
import type { VerifiedTokens } from './authResult';

/** What the service's methods take and give, in neither backend's terms. */

export interface StartInput {
  req: Request;
  /** the random value the backend put in the `<providerId>-nonce` cookie and the state */
  cookieNonce: string;
  /** the state as the backend encoded it for the callback */
  encodedState: string;
  state: RedirectState;
  /** scopes the app asked for, added to the configured ones */
  requestedScope?: string;
  /** origins besides the app's that the redirect flow may return to */
  isOriginAllowed?: (origin: string) => boolean;
}

/** A verified sign-in, before anyone resolved the Backstage identity. */
export interface CompletedSignIn extends VerifiedTokens {
  email: string;
  /** the random id of this sign-in (sign-out revokes it) */
  sessionId: string;
  /** the Palette token, when SpectroCloud's answer carried one (never a real refresh token) */
  paletteToken?: string;
  /** epoch ms: the earlier of the ID token's expiry and `sessionDuration` (when the Palette token may be kept until) */
  keepPaletteTokenUntil: number;
  /** the refresh cookie's content, once the identity is known (`userEntityRef`) */
  session(userEntityRef: string | undefined): SessionPayload;
}

export interface RefreshedSignIn extends VerifiedTokens {
  sessionId: string;
  /** the refresh cookie's new first piece after a real refresh grant; undefined when the cookie stays as it is */
  firstPiece?: string;
}
