import type { AuthResolverCatalogUserQuery, AuthResolverContext, BackstageSignInResult } from '@backstage/plugin-auth-node';
import { SpectroCloudSignInError } from '../errors';

export interface CatalogSignInOptions {
  /** Without a catalog match, sign in as `user:default/<name>` with only that ref as ownership. */
  fallbackUserName?: string;
}

/**
 * `ctx.signInWithCatalogUser`, plus what the legacy contexts lack:
 * - the `dangerouslyAllowSignInWithoutUserInCatalog` fallback. Contexts from
 *   plugin-auth-node 0.6 honour `dangerousEntityRefFallback`; the legacy
 *   router's own context ignores the option and still says NotFoundError, so
 *   the token is then issued here the way Backstage's newer context does.
 * - a clear, coded error when two catalog users match, so the resolver chain
 *   stops instead of trying weaker resolvers (Backstage says ConflictError).
 */
export async function signInWithCatalogUser(
  ctx: AuthResolverContext,
  query: AuthResolverCatalogUserQuery,
  options: CatalogSignInOptions = {},
): Promise<BackstageSignInResult> {
  const fallbackRef = options.fallbackUserName ? `user:default/${options.fallbackUserName}` : undefined;
  try {
    return await ctx.signInWithCatalogUser(
      query,
      ...(fallbackRef ? [{ dangerousEntityRefFallback: { entityRef: fallbackRef } }] : []),
    );
  } catch (error) {
    const name = (error as Error | undefined)?.name;
    if (name === 'ConflictError') throw ambiguousUser(error);
    if (name !== 'NotFoundError' || !fallbackRef) throw error;
    return ctx.issueToken({ claims: { sub: fallbackRef, ent: [fallbackRef] } });
  }
}

export function ambiguousUser(cause: unknown): SpectroCloudSignInError {
  return new SpectroCloudSignInError(
    'ERR_USER_AMBIGUOUS',
    'Sign-in failed: more than one Backstage User entity matches this SpectroCloud user. ' +
      'Make spec.profile.email (or the annotation) unique in the catalog.',
    { cause },
  );
}
