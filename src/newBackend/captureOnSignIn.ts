import type { SignInResolver } from '@backstage/plugin-auth-node';
import type { SpectroCloudAuthResult } from '../profile';
import { userEntityRefOf } from '../signInService/authResult';
import type { SignInService } from '../signInService/SignInService';
import type { ModuleSignInResult, PendingSignIn } from './authenticator';

/**
 * Our sign-in resolver in the new system's terms, wrapped so that a fresh
 * sign-in, once its Backstage identity is known, keeps the Palette token
 * keyed by that identity and reseals the session with it (sign-out then
 * drops that user's token). At `/refresh` the same resolver runs without a
 * pending sign-in and keeps nothing. A sign-in is counted and logged here,
 * once resolved or refused (an unknown or ambiguous user), as on the legacy
 * backend: Backstage's route handler answers a resolver's error itself.
 */
export function captureOnSignIn(
  resolver: SignInResolver<SpectroCloudAuthResult>,
  input: { service: SignInService; pending: WeakMap<ModuleSignInResult, PendingSignIn> },
): SignInResolver<ModuleSignInResult> {
  const { service, pending } = input;
  return async (info, context) => {
    const signIn = pending.get(info.result);
    if (!signIn) return resolver({ profile: info.profile, result: info.result.fullProfile }, context);
    pending.delete(info.result);
    try {
      const identity = await resolver({ profile: info.profile, result: info.result.fullProfile }, context);
      const { req, done, origin } = signIn;
      // The route handler writes the cookie after the resolver: hand it the session that names the user.
      info.result.session.refreshToken = await service.keepSignIn(req, done, userEntityRefOf(identity), origin);
      service.signedIn();
      return identity;
    } catch (error) {
      throw service.signInFailed(error);
    }
  };
}
