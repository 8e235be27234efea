import type { Config } from '@backstage/config';
import type { AuthResolverContext, SignInInfo, SignInResolver } from '@backstage/plugin-auth-node';
import { SpectroCloudConfigError, SpectroCloudSignInError } from './errors';
import type { SpectroCloudAuthResult } from './profile';

type Resolver = SignInResolver<SpectroCloudAuthResult>;

function requireEmail(info: SignInInfo<SpectroCloudAuthResult>): string {
  const email = info.profile.email;
  if (!email) {
    throw new SpectroCloudSignInError('ERR_PROFILE_NO_EMAIL', 'Sign-in failed: the SpectroCloud profile has no email address');
  }
  return email;
}

export const DEFAULT_EMAIL_ANNOTATION = 'spectrocloud.com/email';

/** The resolvers users can name in `signIn.resolvers` or call from code. */
export const spectroCloudSignInResolvers = {
  /** Finds the User entity whose `spec.profile.email` equals the verified email. */
  emailMatchingUserEntityProfileEmail: (): Resolver => async (info, ctx) =>
    ctx.signInWithCatalogUser({ filter: { 'spec.profile.email': requireEmail(info) } }),

  /** Finds the User entity whose `metadata.name` equals the email's local part. */
  emailLocalPartMatchingUserEntityName: (): Resolver => async (info, ctx) =>
    ctx.signInWithCatalogUser({ entityRef: { name: requireEmail(info).split('@')[0] } }),

  /** Finds the User entity annotated with the verified email (`spectrocloud.com/email` by default). */
  emailMatchingUserEntityAnnotation:
    (options?: { annotation?: string }): Resolver =>
    async (info, ctx) =>
      ctx.signInWithCatalogUser({
        annotations: { [options?.annotation ?? DEFAULT_EMAIL_ANNOTATION]: requireEmail(info) },
      }),
};

export type SpectroCloudResolverName = keyof typeof spectroCloudSignInResolvers;
const RESOLVER_NAMES = Object.keys(spectroCloudSignInResolvers) as SpectroCloudResolverName[];

/**
 * Tries each resolver in order; only a resolver that finds no user hands over
 * to the next. Several matching users (Backstage's ConflictError) end the
 * chain: a later, looser resolver must not pick one of them.
 */
export function firstMatchingResolver(resolvers: { name: string; resolve: Resolver }[]): Resolver {
  return async (info, ctx: AuthResolverContext) => {
    for (const { resolve } of resolvers) {
      try {
        return await resolve(info, ctx);
      } catch (error) {
        const name = (error as Error)?.name;
        if (name === 'ConflictError') {
          throw new SpectroCloudSignInError(
            'ERR_USER_AMBIGUOUS',
            'Sign-in failed: several Backstage User entities match this SpectroCloud user. Give each User entity a unique e-mail.',
            { cause: error },
          );
        }
        if (name !== 'NotFoundError') throw error;
      }
    }
    throw new SpectroCloudSignInError(
      'ERR_USER_NOT_FOUND',
      `Sign-in failed: no Backstage User entity matches this SpectroCloud user (tried ${resolvers.map(r => r.name).join(', ')}). ` +
        'Add the user to the catalog or change auth.providers.spectrocloud.<env>.signIn.resolvers.',
    );
  };
}

/**
 * Reads `signIn.resolvers` as the seed docs write it: an ordered list of
 * `{ resolver: <name> }`, the first one that finds a user wins. Unknown
 * names fail at startup with the valid ones.
 */
export function readSignInResolversFromConfig(config: Config, path: string): Resolver | undefined {
  const entries = config.getOptionalConfigArray('signIn.resolvers');
  if (!entries) return undefined;
  if (entries.length === 0) {
    throw new SpectroCloudConfigError(`'${path}.signIn.resolvers' is empty. List at least one of: ${RESOLVER_NAMES.join(', ')}.`);
  }
  return firstMatchingResolver(
    entries.map((entry, index) => {
      const name = entry.getOptionalString('resolver');
      if (!name || !RESOLVER_NAMES.includes(name as SpectroCloudResolverName)) {
        throw new SpectroCloudConfigError(
          `Unknown sign-in resolver '${name ?? ''}' at '${path}.signIn.resolvers[${index}].resolver'. Valid resolvers: ${RESOLVER_NAMES.join(', ')}.`,
        );
      }
      const annotation = entry.getOptionalString('annotation');
      const resolve =
        name === 'emailMatchingUserEntityAnnotation'
          ? spectroCloudSignInResolvers.emailMatchingUserEntityAnnotation({ annotation })
          : spectroCloudSignInResolvers[name as Exclude<SpectroCloudResolverName, 'emailMatchingUserEntityAnnotation'>]();
      return { name, resolve };
    }),
  );
}
