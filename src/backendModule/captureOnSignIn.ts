import type { SignInResolver } from '@backstage/plugin-auth-node';
import { userEntityRefOf } from '../core/authResult';
import type { EnvironmentParts } from '../environment/createEnvironmentParts';
import type { PaletteTokenCapture } from '../paletteTokens/capture/capture';
import type { SpectroCloudAuthResult } from '../profile';
import type { PendingSignIn, SpectroCloudOAuthResult } from './authenticator';

/**
 * Our sign-in resolver in the new system's terms, wrapped so that a fresh
 * sign-in, once its Backstage identity is known, keeps SpectroCloud's
 * session token keyed by that identity and reseals the session with it
 * (sign-out then drops that user's token). At `/refresh` the same resolver
 * runs without a pending sign-in and captures nothing.
 */
export function captureOnSignIn(
  resolver: SignInResolver<SpectroCloudAuthResult>,
  input: { parts: EnvironmentParts; sessionTokens: PaletteTokenCapture; pending: WeakMap<SpectroCloudOAuthResult, PendingSignIn> },
): SignInResolver<SpectroCloudOAuthResult> {
  const { parts, sessionTokens, pending } = input;
  return async (info, context) => {
    const identity = await resolver({ profile: info.profile, result: info.result.fullProfile }, context);
    const signIn = pending.get(info.result);
    if (!signIn) return identity;
    pending.delete(info.result);
    const { req, done, origin } = signIn;
    const userEntityRef = userEntityRefOf(identity);
    if (done.sessionToken) {
      await sessionTokens.remember({ req, userEntityRef, email: done.email, sessionToken: done.sessionToken, expiresAt: done.keepSessionTokenUntil });
    }
    // The route handler writes the cookie after the resolver: hand it the session that names the user.
    info.result.session.refreshToken = parts.refreshCookie.write(req, done.session(userEntityRef), origin);
    return identity;
  };
}
