import type { Config } from '@backstage/config';
import type { AuthResolverCatalogUserQuery, AuthResolverContext, SignInInfo, SignInResolver } from '@backstage/plugin-auth-node';
import { SpectroCloudConfigError, SpectroCloudSignInError } from './errors';
import { refuseUnverifiedEmail, type SpectroCloudAuthResult } from './profile';
import { signInWithCatalogUser } from './signIn/catalogSignIn';
import { emailDomain, entityNameFromEmail } from './signIn/entityNameFromEmail';
import { contextWithExtraOwnership, groupOwnershipRefs } from './signIn/groupOwnership';
import { readResolverPolicy } from './signIn/readResolverPolicy';

type Resolver = SignInResolver<SpectroCloudAuthResult>;

/** What every resolver accepts, in code and in `signIn.resolvers` entries; the first two are spelt as Backstage spells them. */
export interface SpectroCloudResolverOptions {
  /** Email domains allowed to sign in, e.g. `['example.com']`; others are refused before any catalog lookup. */
  allowedDomains?: string[];
  /** Without a matching User entity, sign in as `user:default/<local part>` (normalised). Off by default. */
  dangerouslyAllowSignInWithoutUserInCatalog?: boolean;
  /** Adds SpectroCloud's `groups` claim to the Backstage token's ownership (`ent`); `true` uses the defaults. */
  groupsAsOwnership?: boolean | { namespace?: string; onlyExisting?: boolean };
}

export const DEFAULT_EMAIL_ANNOTATION = 'spectrocloud.com/email';

function requireEmail(info: SignInInfo<SpectroCloudAuthResult>): string {
  // Also when a custom authHandler built the profile: an unverified address never looks up a catalog user.
  refuseUnverifiedEmail(info.result.claims);
  const email = info.profile.email;
  if (!email) {
    throw new SpectroCloudSignInError('ERR_PROFILE_NO_EMAIL', 'Sign-in failed: the SpectroCloud profile has no email address');
  }
  return email;
}

/**
 * One resolver: the domain check first (no catalog call for a refused
 * domain), then the catalog lookup `queryFor` describes, with the optional
 * catalog-less fallback and group ownership.
 */
function catalogResolver(
  queryFor: (email: string) => AuthResolverCatalogUserQuery,
  options: SpectroCloudResolverOptions = {},
): Resolver {
  const allowed = options.allowedDomains?.map(domain => domain.toLocaleLowerCase('en-US'));
  const groups = options.groupsAsOwnership === true ? {} : options.groupsAsOwnership || undefined;
  return async (info, ctx) => {
    const email = requireEmail(info);
    if (allowed && !allowed.includes(emailDomain(email))) {
      throw new SpectroCloudSignInError(
        'ERR_EMAIL_DOMAIN_NOT_ALLOWED',
        `Sign-in failed: this SpectroCloud user's email domain is not allowed to sign in here (allowed: ${allowed.join(', ')}). ` +
          'Sign in with an allowed account, or add the domain to signIn.resolvers[].allowedDomains.',
      );
    }
    const context = groups
      ? contextWithExtraOwnership(ctx, () => groupOwnershipRefs(info.result.claims.groups, ctx, groups))
      : ctx;
    return signInWithCatalogUser(context, queryFor(email), {
      fallbackUserName: options.dangerouslyAllowSignInWithoutUserInCatalog ? entityNameFromEmail(email) : undefined,
    });
  };
}

/** The resolvers users can name in `signIn.resolvers` or call from code (`spectrocloud.resolvers`). */
// A type, not an interface: createAuthProviderIntegration wants a record of resolver factories.
export type SpectroCloudSignInResolvers = {
  /** Finds the User entity whose `spec.profile.email` equals the verified email. */
  emailMatchingUserEntityProfileEmail: (options?: SpectroCloudResolverOptions) => SignInResolver<SpectroCloudAuthResult>;
  /** Finds the User entity whose `metadata.name` equals the email's local part. */
  emailLocalPartMatchingUserEntityName: (options?: SpectroCloudResolverOptions) => SignInResolver<SpectroCloudAuthResult>;
  /** Finds the User entity annotated with the verified email (`spectrocloud.com/email` by default). */
  emailMatchingUserEntityAnnotation: (options?: SpectroCloudResolverOptions & { annotation?: string }) => SignInResolver<SpectroCloudAuthResult>;
};

export const spectroCloudSignInResolvers: SpectroCloudSignInResolvers = {
  /** Finds the User entity whose `spec.profile.email` equals the verified email. */
  emailMatchingUserEntityProfileEmail: (options?: SpectroCloudResolverOptions): Resolver =>
    catalogResolver(email => ({ filter: { 'spec.profile.email': email } }), options),

  /** Finds the User entity whose `metadata.name` equals the email's local part. */
  emailLocalPartMatchingUserEntityName: (options?: SpectroCloudResolverOptions): Resolver =>
    catalogResolver(email => ({ entityRef: { name: email.split('@')[0] } }), options),

  /** Finds the User entity annotated with the verified email (`spectrocloud.com/email` by default). */
  emailMatchingUserEntityAnnotation: (options?: SpectroCloudResolverOptions & { annotation?: string }): Resolver =>
    catalogResolver(email => ({ annotations: { [options?.annotation ?? DEFAULT_EMAIL_ANNOTATION]: email } }), options),
};

export type SpectroCloudResolverName = keyof typeof spectroCloudSignInResolvers;
const RESOLVER_NAMES = Object.keys(spectroCloudSignInResolvers) as SpectroCloudResolverName[];

/**
 * Tries each resolver in order; only "no such user" (NotFoundError) hands over
 * to the next. A refused domain or an ambiguous match stops the chain.
 */
export function firstMatchingResolver(resolvers: { name: string; resolve: Resolver }[], configPath = 'auth.providers.<id>.<env>'): Resolver {
  return async (info, ctx: AuthResolverContext) => {
    for (const { resolve } of resolvers) {
      try {
        return await resolve(info, ctx);
      } catch (error) {
        if ((error as Error)?.name !== 'NotFoundError') throw error;
      }
    }
    throw new SpectroCloudSignInError(
      'ERR_USER_NOT_FOUND',
      `Sign-in failed: no Backstage User entity matches this SpectroCloud user (tried ${resolvers.map(r => r.name).join(', ')}). ` +
        `Add the user to the catalog or change ${configPath}.signIn.resolvers.`,
    );
  };
}

/**
 * Reads `signIn.resolvers` as the seed docs write it: an ordered list of
 * `{ resolver: <name>, ...options }`, the first one that finds a user wins.
 * Unknown names and malformed options fail at startup naming the path.
 */
export function readSignInResolversFromConfig(config: Config, path: string): Resolver | undefined {
  const entries = config.getOptionalConfigArray('signIn.resolvers');
  if (!entries) return undefined;
  if (entries.length === 0) {
    throw new SpectroCloudConfigError(`'${path}.signIn.resolvers' is empty. List at least one of: ${RESOLVER_NAMES.join(', ')}.`);
  }
  return firstMatchingResolver(
    entries.map((entry, index) => {
      const at = `${path}.signIn.resolvers[${index}]`;
      const name = entry.getOptionalString('resolver');
      if (!name || !RESOLVER_NAMES.includes(name as SpectroCloudResolverName)) {
        throw new SpectroCloudConfigError(
          `Unknown sign-in resolver '${name ?? ''}' at '${at}.resolver'. Valid resolvers: ${RESOLVER_NAMES.join(', ')}.`,
        );
      }
      const options = readResolverPolicy(entry, at, { annotation: name === 'emailMatchingUserEntityAnnotation' });
      return { name, resolve: spectroCloudSignInResolvers[name as SpectroCloudResolverName](options) };
    }),
    path,
  );
}
