// The contenders of figure 0 (bench/realWork.ts): per backend, ours and
// Backstage's built-in provider of that backend, each on its own backend with
// its own SpectroCloud emulator (standard-OIDC mode, or Palette-shaped) and the
// same users in the in-memory catalog.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { JsonObject } from '@backstage/types';
import { providers as builtInProviders } from '@backstage/plugin-auth-backend';
import { spectrocloud } from '../src';
import { startSpectroCloudEmulator, type SpectroCloudEmulator } from '../src/testing';
import { startLegacyBackend, userEntity } from '../test/support/legacyBackend';
import { startNewBackend } from '../test/support/newBackend';
import { BASELINE_CLIENT, OURS_CLIENT, silentLogger } from './backend';

export interface RealContender {
  id: string;
  label: string;
  authUrl: string;
  provider: string;
  close(): Promise<void>;
}

export interface Pair {
  backend: string;
  ours: RealContender;
  builtIn: RealContender;
}

export const emails = (n: number) => Array.from({ length: n }, (_, i) => `user${i}@example.com`);

/**
 * `palette: true` is SpectroCloud's own shape (the `refresh_token` is the HS256
 * Palette token, so ours captures it into its token store at sign-in, and no
 * refresh grant exists); by default standard OIDC with opaque refresh tokens.
 */
export interface IdpMode {
  palette?: boolean;
}

function startIdp(users: string[], client: { clientId: string; clientSecret: string }, redirectUri: string, mode: IdpMode = {}): Promise<SpectroCloudEmulator> {
  return startSpectroCloudEmulator({
    clients: [{ ...client, redirectUris: [redirectUri] }],
    users: users.map((email, i) => ({ email, given_name: `User${i}`, family_name: 'Example' })),
    autoApprove: true,
    refreshTokenGrant: !mode.palette,
  });
}

async function withIdp<T extends { close(): Promise<void>; authUrl: string }>(
  start: (idp: (redirectUri: string) => Promise<SpectroCloudEmulator>) => Promise<T>,
  users: string[],
  client: { clientId: string; clientSecret: string },
  mode: IdpMode = {},
): Promise<{ backend: T; close(): Promise<void> }> {
  let emulator: SpectroCloudEmulator | undefined;
  const backend = await start(async redirectUri => (emulator = await startIdp(users, client, redirectUri, mode)));
  return {
    backend,
    close: async () => {
      await backend.close();
      await emulator?.close();
    },
  };
}

const RESOLVERS = { resolvers: [{ resolver: 'emailMatchingUserEntityProfileEmail' }] };

export async function legacyPair(users: string[], mode: IdpMode = {}): Promise<Pair> {
  const entities = users.map((email, i) => userEntity(`user${i}`, email));
  const ours = await withIdp(
    idp =>
      startLegacyBackend({
        providerFactories: { spectrocloud: spectrocloud.create({ signIn: { resolver: spectrocloud.resolvers.emailMatchingUserEntityProfileEmail() } }) },
        users: entities,
        logger: silentLogger(),
        keepAliveTimeoutMs: 60_000,
        providers: async url => {
          const e = await idp(`${url}/api/auth/spectrocloud/handler/frame`);
          return { spectrocloud: { development: { ...OURS_CLIENT, authorizationUrl: e.authorizationUrl } } } as JsonObject;
        },
      }),
    users,
    OURS_CLIENT,
    mode,
  );
  const builtIn = await withIdp(
    idp =>
      startLegacyBackend({
        providerFactories: { oidc: builtInProviders.oidc.create({ signIn: { resolver: builtInProviders.oidc.resolvers.emailMatchingUserEntityProfileEmail() } }) },
        users: entities,
        // The built-in keeps its OAuth state in express-session: its docs require the secret.
        auth: { session: { secret: 'bench-session-secret-3f9b0d1e' } },
        logger: silentLogger(),
        keepAliveTimeoutMs: 60_000,
        providers: async url => {
          const e = await idp(`${url}/api/auth/oidc/handler/frame`);
          return { oidc: { development: { ...BASELINE_CLIENT, metadataUrl: e.discoveryUrl, prompt: 'auto' } } } as JsonObject;
        },
      }),
    users,
    BASELINE_CLIENT,
    mode,
  );
  return {
    backend: 'legacy router (plugin-auth-backend 0.24.5)',
    ours: { id: 'legacy-ours', label: 'ours, own legacy router (no session secret)', authUrl: ours.backend.authUrl, provider: 'spectrocloud', close: ours.close },
    builtIn: { id: 'legacy-builtin', label: 'built-in `providers.oidc` (router with auth.session.secret)', authUrl: builtIn.backend.authUrl, provider: 'oidc', close: builtIn.close },
  };
}

/**
 * The new system's built-in oidc module. Not a devDependency of ours (adding it
 * would churn the lockfile): it is in the tree as plugin-auth-backend 0.24.5's
 * dependency (0.4.21, on the same plugin-auth-node 0.7.8 as auth plugin 0.31).
 */
async function loadBuiltInOidcModule(): Promise<unknown> {
  const require = createRequire(import.meta.url);
  const fromAuthBackend = createRequire(require.resolve('@backstage/plugin-auth-backend'));
  const mod = (await import(pathToFileURL(fromAuthBackend.resolve('@backstage/plugin-auth-backend-module-oidc-provider')).href)) as { default: { default?: unknown } | unknown };
  const feature = mod.default as { default?: unknown; $$type?: string };
  return feature.$$type ? feature : (feature.default ?? feature);
}

export async function newSystemPair(users: string[], mode: IdpMode = {}): Promise<Pair> {
  const entities = users.map((email, i) => userEntity(`user${i}`, email));
  const oidcModule = await loadBuiltInOidcModule();
  const ours = await withIdp(
    idp =>
      startNewBackend({
        users: entities,
        logger: silentLogger(),
        keepAliveTimeoutMs: 60_000,
        providers: async url => {
          const e = await idp(`${url}/api/auth/spectrocloud/handler/frame`);
          return { spectrocloud: { development: { ...OURS_CLIENT, authorizationUrl: e.authorizationUrl, signIn: RESOLVERS } } } as JsonObject;
        },
      }),
    users,
    OURS_CLIENT,
    mode,
  );
  const builtIn = await withIdp(
    idp =>
      startNewBackend({
        users: entities,
        logger: silentLogger(),
        keepAliveTimeoutMs: 60_000,
        features: [oidcModule as never],
        // As on the legacy router, the built-in keeps its OAuth state in express-session ("authentication requires session support" without it).
        auth: { session: { secret: 'bench-session-secret-3f9b0d1e' } },
        providers: async url => {
          const e = await idp(`${url}/api/auth/oidc/handler/frame`);
          return { oidc: { development: { ...BASELINE_CLIENT, metadataUrl: e.discoveryUrl, prompt: 'auto', signIn: RESOLVERS } } } as JsonObject;
        },
      }),
    users,
    BASELINE_CLIENT,
    mode,
  );
  return {
    backend: 'new backend system (auth plugin 0.31)',
    ours: { id: 'new-ours', label: 'ours, `./backend-module`', authUrl: ours.backend.authUrl, provider: 'spectrocloud', close: ours.close },
    builtIn: { id: 'new-builtin', label: 'built-in `auth-backend-module-oidc-provider` 0.4.21 (auth.session.secret set)', authUrl: builtIn.backend.authUrl, provider: 'oidc', close: builtIn.close },
  };
}

