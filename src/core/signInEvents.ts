import { SpectroCloudAuthError } from '../errors';
import type { EnvironmentParts } from '../environment/createEnvironmentParts';

/** `provider`: the provider id (e.g. `spectrocloud-eu`), so one counter object can serve several tenants. */
export interface SignInEvents {
  signIn(provider?: string): void;
  signInFailure(code: string, provider?: string): void;
}

export function reportSignIn(parts: EnvironmentParts, events: SignInEvents | undefined): void {
  events?.signIn(parts.providerId);
  parts.logger.info(`SpectroCloud sign-in succeeded (provider ${parts.providerId}, env ${parts.environment})`);
}

/** Counts and logs a failed sign-in by its code (never a token or an email); returns the error to throw. */
export function reportSignInFailure(parts: EnvironmentParts, events: SignInEvents | undefined, error: unknown): SpectroCloudAuthError {
  const failure = SpectroCloudAuthError.from(error);
  events?.signInFailure(failure.code, parts.providerId);
  parts.logger.warn(`SpectroCloud sign-in failed: ${failure.code}: ${failure.message}`);
  return failure;
}
