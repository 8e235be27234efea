import type { AuthResolverContext, TokenParams } from '@backstage/plugin-auth-node';
import { normalizeEntityName } from './entityNameFromEmail';

/** Turns SpectroCloud's `groups` claim into `group:<namespace>/<name>` ownership refs. */
export interface GroupsAsOwnershipOptions {
  /** Catalog namespace of the groups. Default `default`. */
  namespace?: string;
  /** Only groups that exist in the catalog (one lookup per group). Default `true`. */
  onlyExisting?: boolean;
}

/** The catalog entity type as plugin-auth-node sees it (catalog-model is not a dependency of ours). */
type Entity = Parameters<AuthResolverContext['resolveOwnershipEntityRefs']>[0];

/** A user in hundreds of teams must not turn one sign-in into hundreds of catalog calls or a huge token. */
export const MAX_GROUPS = 50;

/** The `group:` refs for a verified `groups` claim; names are normalised like entity names, duplicates dropped. */
export async function groupOwnershipRefs(
  groups: unknown,
  ctx: AuthResolverContext,
  options: GroupsAsOwnershipOptions,
): Promise<string[]> {
  if (!Array.isArray(groups)) return [];
  const namespace = options.namespace ?? 'default';
  const names = [...new Set(groups.filter((g): g is string => typeof g === 'string').map(normalizeEntityName))]
    .filter((name): name is string => name !== undefined)
    .slice(0, MAX_GROUPS);
  const refs = names.map(name => `group:${namespace}/${name}`);
  if (options.onlyExisting === false) return refs;
  const found = await Promise.all(refs.map(ref => existsInCatalog(ctx, ref)));
  return refs.filter((_, index) => found[index]);
}

/** The legacy context can only look entities up through `findCatalogUser`; an explicit `group:` kind makes it a group lookup. */
async function existsInCatalog(ctx: AuthResolverContext, ref: string): Promise<boolean> {
  try {
    await ctx.findCatalogUser({ entityRef: ref });
    return true;
  } catch (error) {
    if ((error as Error | undefined)?.name === 'NotFoundError') return false;
    throw error;
  }
}

/**
 * The resolver context with extra ownership refs in every token it issues.
 * `signInWithCatalogUser` is rebuilt from `findCatalogUser` and the context's
 * ownership resolution (`resolveOwnershipEntityRefs` from plugin-auth-backend
 * 0.24.4, Backstage's default `memberOf` rule before), because the legacy
 * context issues its token without passing through `issueToken`.
 * `extraRefs` is asked for only when a token is actually issued.
 */
export function contextWithExtraOwnership(ctx: AuthResolverContext, extraRefs: () => Promise<string[]>): AuthResolverContext {
  const issueToken: AuthResolverContext['issueToken'] = async (params: TokenParams) => {
    const ent = [...new Set([...(params.claims.ent ?? [params.claims.sub]), ...(await extraRefs())])];
    return ctx.issueToken({ ...params, claims: { ...params.claims, ent } });
  };
  return {
    issueToken,
    findCatalogUser: query => ctx.findCatalogUser(query),
    resolveOwnershipEntityRefs: entity => ownershipOf(ctx, entity),
    async signInWithCatalogUser(query, options) {
      let entity: Entity;
      try {
        ({ entity } = await ctx.findCatalogUser(query));
      } catch (error) {
        const fallback = options?.dangerousEntityRefFallback?.entityRef;
        if ((error as Error | undefined)?.name !== 'NotFoundError' || typeof fallback !== 'string') throw error;
        return issueToken({ claims: { sub: fallback, ent: [fallback] } });
      }
      const { ownershipEntityRefs } = await ownershipOf(ctx, entity);
      return issueToken({ claims: { sub: refOf(entity), ent: ownershipEntityRefs } });
    },
  };
}

function ownershipOf(ctx: AuthResolverContext, entity: Entity): Promise<{ ownershipEntityRefs: string[] }> {
  if (typeof ctx.resolveOwnershipEntityRefs === 'function') return ctx.resolveOwnershipEntityRefs(entity);
  const memberOf = (entity.relations ?? []).filter(r => r.type === 'memberOf' && r.targetRef.startsWith('group:')).map(r => r.targetRef);
  return Promise.resolve({ ownershipEntityRefs: [...new Set([refOf(entity), ...memberOf])] });
}

function refOf(entity: Entity): string {
  return `${entity.kind.toLocaleLowerCase('en-US')}:${entity.metadata.namespace ?? 'default'}/${entity.metadata.name}`;
}
