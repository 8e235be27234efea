// Who is measured in figure 1. A contender is one provider reachable at
// `<providerUrl>/start` and `<providerUrl>/refresh`, with a way to sign one
// user in; a group is one running backend (and its IdP) holding contenders.
//
// To add a contender (e.g. the new-system module once test/support/newBackend.ts
// bootstraps it): write a function returning a ContenderGroup against its own
// standard IdP, and push it onto CONTENDER_GROUPS. The figure interleaves every
// contender of every group and reports each one against BASELINE_ID.
import { LABEL, PROVIDERS, startStandardBackend, type BenchBackend } from './backend';
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

/** Both providers of one legacy router (0.24.5) as contenders, signing in through `authorize`. */
export function legacyContenders(backend: BenchBackend, authorize: Authorize, refreshStatus: Partial<Record<string, number>> = {}): Contender[] {
  return PROVIDERS.map(provider => ({
    id: provider,
    label: LABEL[provider],
    providerUrl: `${backend.authUrl}/${provider}`,
    signIn: async () => {
      const { jar } = await signIn(backend.authUrl, provider, 'alice@example.com', authorize);
      const check = await refresh(backend.authUrl, provider, jar);
      if (check.status !== (refreshStatus[provider] ?? 200)) throw new Error(`${provider} /refresh answered ${check.status} right after sign-in: ${JSON.stringify(check.body).slice(0, 200)}`);
      return jar.header();
    },
  }));
}

/** The legacy router with ours and the built-in provider, against panva's oidc-provider (real refresh tokens). */
async function legacyRouterGroup(): Promise<ContenderGroup | undefined> {
  const backend = await startStandardBackend();
  if (!backend) return undefined;
  return { idp: 'oidc-provider 9', contenders: legacyContenders(backend, backend.authorize), close: () => backend.close() };
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
