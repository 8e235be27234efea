// Who is measured in figure 1. A contender is one provider reachable at
// `<providerUrl>/start` and `<providerUrl>/refresh`, with a way to sign one
// user in; a group is one running backend (and its IdP) holding contenders.
//
// To add a contender: write a function returning a ContenderGroup against its
// own standard IdP, and push it onto CONTENDER_GROUPS. The figure interleaves every
// contender of every group and reports each one against BASELINE_ID.
import { LABEL, PROVIDERS, startStandardBackend, type BenchBackend, type ProviderName } from './backend';
import { refresh, signIn, type Authorize } from './flow';
import { startStandardNewBackend } from './newBackend';

export interface Contender {
  /** stable id, used as the key of its figures in results.json and BENCHMARKS.md */
  id: string;
  label: string;
  /** `<auth base>/<providerId>`: where `/start` and `/refresh` live */
  providerUrl: string;
  /** one fresh whole sign-in of alice; returns the Cookie header the browser would send to `/refresh` */
  signIn(): Promise<string>;
}

export interface ContenderGroup {
  /** what the IdP is, for the notes */
  idp: string;
  contenders: Contender[];
  close(): Promise<void>;
}

/** The ratios are taken against this contender: Backstage's built-in legacy `oidc` provider. */
export const BASELINE_ID = 'oidc';

/** One provider of a legacy router (0.24.5) as a contender, signing in through `authorize`. */
export function legacyContender(
  backend: BenchBackend,
  provider: ProviderName,
  authorize: Authorize,
  options: { id?: string; label?: string; refreshStatus?: number } = {},
): Contender {
  return {
    id: options.id ?? provider,
    label: options.label ?? LABEL[provider],
    providerUrl: `${backend.authUrl}/${provider}`,
    signIn: async () => {
      const { jar } = await signIn(backend.authUrl, provider, 'alice@example.com', authorize);
      const check = await refresh(backend.authUrl, provider, jar);
      if (check.status !== (options.refreshStatus ?? 200)) throw new Error(`${provider} /refresh answered ${check.status} right after sign-in: ${JSON.stringify(check.body).slice(0, 200)}`);
      return jar.header();
    },
  };
}

/** Both providers of one legacy router (0.24.5) as contenders, signing in through `authorize`. */
export function legacyContenders(backend: BenchBackend, authorize: Authorize, refreshStatus: Partial<Record<string, number>> = {}): Contender[] {
  return PROVIDERS.map(provider => legacyContender(backend, provider, authorize, { refreshStatus: refreshStatus[provider] }));
}

/**
 * Ours as its docs deploy it: a legacy router of its own without
 * `auth.session.secret` (ours keeps no server-side session). The figure's
 * target is read on this row.
 */
export const OURS_OWN_ROUTER_ID = 'spectrocloud-own-router';

/**
 * The legacy contenders against the standard IdP, each deployed as its docs
 * require, plus ours in the built-in's router:
 * - ours alone in a legacy router without `auth.session.secret`;
 * - the built-in oidc provider in a legacy router with it (it keeps its OAuth
 *   state in express-session), which also holds ours: that is the row `spectrocloud`, the
 *   one-router setup of earlier runs (ours then pays express-session and its
 *   database on every request although it uses neither).
 * Each router has its own oidc-provider instance, configured the same way.
 */
export async function startLegacyContenders(): Promise<{ contenders: Contender[]; close(): Promise<void> } | undefined> {
  const shared = await startStandardBackend(PROVIDERS);
  if (!shared) return undefined;
  let own: Awaited<ReturnType<typeof startStandardBackend>>;
  try {
    own = await startStandardBackend(['spectrocloud']);
  } catch (error) {
    await shared.close();
    throw error;
  }
  if (!own) {
    await shared.close();
    return undefined;
  }
  const ownRouter = own;
  return {
    contenders: [
      legacyContender(ownRouter, 'spectrocloud', ownRouter.authorize, { id: OURS_OWN_ROUTER_ID, label: 'ours (spectrocloud), own legacy router, no session secret' }),
      legacyContender(shared, 'oidc', shared.authorize, { label: 'baseline (built-in oidc), legacy router with auth.session.secret' }),
      legacyContender(shared, 'spectrocloud', shared.authorize, { label: "ours (spectrocloud) in the built-in's router (session secret set)" }),
    ],
    close: async () => {
      await settle([ownRouter.close(), shared.close()]);
    },
  };
}

async function settle(closing: Array<Promise<void>>): Promise<void> {
  const failed = (await Promise.allSettled(closing)).find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/** The legacy routers against the standard IdP (see startLegacyContenders). */
async function legacyRouterGroup(): Promise<ContenderGroup | undefined> {
  const started = await startLegacyContenders();
  if (!started) return undefined;
  return { idp: 'oidc-provider 9', contenders: started.contenders, close: started.close };
}

/** The new-system module (`./backend-module`) in `createBackend()` with plugin-auth-backend 0.31, against its own oidc-provider. */
async function newBackendGroup(): Promise<ContenderGroup | undefined> {
  const backend = await startStandardNewBackend();
  if (!backend) return undefined;
  const contender: Contender = {
    id: 'spectrocloud-new-backend',
    label: 'ours, new backend system (./backend-module)',
    providerUrl: `${backend.authUrl}/spectrocloud`,
    signIn: async () => {
      const { jar } = await signIn(backend.authUrl, 'spectrocloud', 'alice@example.com', backend.authorize);
      const check = await refresh(backend.authUrl, 'spectrocloud', jar);
      if (check.status !== 200) throw new Error(`the module's /refresh answered ${check.status} right after sign-in: ${JSON.stringify(check.body).slice(0, 200)}`);
      return jar.header();
    },
  };
  return { idp: 'oidc-provider 9', contenders: [contender], close: () => backend.close() };
}

/** Every group the figure measures; a further contender is one more entry here. */
export const CONTENDER_GROUPS: Array<() => Promise<ContenderGroup | undefined>> = [legacyRouterGroup, newBackendGroup];
