// Legacy Backstage auth backends for the bench: one holding ours
// (`spectrocloud`) and Backstage's built-in legacy `oidc` provider (the
// baseline) in the same `providerFactories` with `auth.session.secret` set, as
// the built-in requires; and one holding ours alone without it, as our docs
// describe (ours keeps no server-side session). Both against the same kind of
// OIDC server.
import type { JsonObject } from '@backstage/types';
import { providers as builtInProviders } from '@backstage/plugin-auth-backend';
import { spectrocloud } from '../src';
import { startSpectroCloudEmulator, type SpectroCloudEmulator } from '../src/testing';
import { startLegacyBackend, userEntity, type LegacyBackend } from '../test/support/legacyBackend';

export const OURS_CLIENT = { clientId: 'bench-spectrocloud', clientSecret: 'bench-secret-spectrocloud-5d1c' };
export const BASELINE_CLIENT = { clientId: 'bench-oidc', clientSecret: 'bench-secret-oidc-8a2e' };
export const BENCH_USERS = [
  { email: 'alice@example.com', given_name: 'Alice', family_name: 'Example', groups: ['developers'] },
  { email: 'bob@example.com', given_name: 'Bob', family_name: 'Builder', groups: ['developers'] },
];

export type ProviderName = 'spectrocloud' | 'oidc';
export const PROVIDERS: ProviderName[] = ['spectrocloud', 'oidc'];
export const LABEL: Record<ProviderName, string> = { spectrocloud: 'ours (spectrocloud)', oidc: 'baseline (built-in oidc)' };

/** A logger that drops everything (the router and both providers log per request). */
export function silentLogger(): any {
  const logger: any = { child: () => logger };
  for (const level of ['error', 'warn', 'info', 'debug', 'verbose', 'silly', 'log']) logger[level] = () => undefined;
  return logger;
}

export interface BenchBackend {
  url: string;
  authUrl: string;
  /** the IdP both providers use: the SpectroCloud emulator, or a standard OIDC server */
  idp: { kind: 'emulator'; emulator: SpectroCloudEmulator } | { kind: 'standard'; issuer: string };
  close(): Promise<void>;
}

/** Which providers a legacy router holds; `auth.session.secret` is set exactly when the built-in is one of them. */
export type RouterProviders = ProviderName[];

function providerFactory(name: ProviderName) {
  return name === 'spectrocloud'
    ? spectrocloud.create({ signIn: { resolver: spectrocloud.resolvers.emailMatchingUserEntityProfileEmail() } })
    : builtInProviders.oidc.create({ signIn: { resolver: builtInProviders.oidc.resolvers.emailMatchingUserEntityProfileEmail() } });
}

/**
 * The shared legacy-backend bootstrap (test/support/legacyBackend.ts) with
 * `names`' providers; `providers` gets the auth base URL the callbacks need.
 * The built-in oidc provider keeps its OAuth state in express-session, so a
 * router holding it gets `auth.session.secret` (and with it express-session
 * and its database on every request); a router with ours alone does not, as
 * our docs (and the doctor's `session-secret` check) say.
 */
function startRouter(names: RouterProviders, providers: (authUrl: string) => Promise<JsonObject>): Promise<LegacyBackend> {
  return startLegacyBackend({
    providerFactories: Object.fromEntries(names.map(name => [name, providerFactory(name)])),
    users: [userEntity('alice', 'alice@example.com'), userEntity('bob', 'bob@example.com')],
    ...(names.includes('oidc') && { auth: { session: { secret: 'bench-session-secret-3f9b0d1e' } } }),
    logger: silentLogger(),
    keepAliveTimeoutMs: 60_000,
    providers: backendUrl => providers(`${backendUrl}/api/auth`),
  });
}

/** Both providers against the SpectroCloud emulator (autoApprove with login_hint). */
export async function startEmulatorBackend(): Promise<BenchBackend> {
  let emulator: SpectroCloudEmulator | undefined;
  const backend = await startRouter(PROVIDERS, async authUrl => {
    emulator = await startSpectroCloudEmulator({
      clients: [
        { ...OURS_CLIENT, redirectUris: [`${authUrl}/spectrocloud/handler/frame`] },
        { ...BASELINE_CLIENT, redirectUris: [`${authUrl}/oidc/handler/frame`] },
      ],
      users: BENCH_USERS,
      autoApprove: true,
    });
    return {
      spectrocloud: {
        development: { ...OURS_CLIENT, authorizationUrl: emulator.authorizationUrl },
      },
      oidc: {
        development: { ...BASELINE_CLIENT, metadataUrl: emulator.discoveryUrl, prompt: 'auto' },
      },
    };
  });
  return {
    url: backend.url,
    authUrl: backend.authUrl,
    idp: { kind: 'emulator', emulator: emulator! },
    close: async () => {
      await backend.close();
      await emulator?.close();
    },
  };
}

/** The part of test/support/standardOidcServer.ts the bench uses. */
export interface StandardOidcModule {
  startStandardOidcServer(options: {
    redirectUris: string[];
    clientId: string;
    clientSecret: string;
    accounts: Array<{ sub: string; email: string; given_name?: string; family_name?: string }>;
    idTokenTtl?: number;
  }): Promise<{
    issuer: string;
    authorizationUrl: string;
    clientIds: { post: string; basic: string };
    authorize(location: string, loginHint: string): Promise<string>;
    close(): Promise<void>;
  }>;
}

export const STANDARD_CLIENT_SECRET = 'bench-standard-secret-71c4';
export type StandardIdp = Awaited<ReturnType<StandardOidcModule['startStandardOidcServer']>>;

/**
 * Starts a standard OIDC server (oidc-provider via the test harness) for the bench users, or
 * undefined when that harness is not available.
 */
export async function loadStandardIdp(): Promise<((clientId: string, redirectUris: string[]) => Promise<StandardIdp>) | undefined> {
  let mod: StandardOidcModule;
  try {
    // Loaded by URL so that type-checking bench/ does not need the test harness to exist.
    mod = (await import(new URL('../test/support/standardOidcServer.ts', import.meta.url).href)) as StandardOidcModule;
  } catch (error) {
    console.log(`   (standard OIDC server unavailable: ${(error as Error).message.split('\n')[0]})`);
    return undefined;
  }
  return (clientId, redirectUris) =>
    mod.startStandardOidcServer({
      redirectUris,
      clientId,
      clientSecret: STANDARD_CLIENT_SECRET,
      accounts: BENCH_USERS.map((u, i) => ({ sub: `user-${i}`, email: u.email, given_name: u.given_name, family_name: u.family_name })),
      idTokenTtl: 3600,
    });
}

export type StandardBackend = BenchBackend & { authorize(location: string, email: string): Promise<string> };

/**
 * `names`' providers (default both) in one legacy router against its own
 * standard OIDC server that issues real refresh tokens (oidc-provider via the
 * test harness), so that every refresh path is a real refresh_token grant.
 * Undefined when that harness is not available.
 */
export async function startStandardBackend(names: RouterProviders = PROVIDERS): Promise<StandardBackend | undefined> {
  const start = await loadStandardIdp();
  if (!start) return undefined;
  let idp: StandardIdp | undefined;
  const backend = await startRouter(names, async authUrl => {
    idp = await start(`bench-standard-${names.join('-')}`, names.map(name => `${authUrl}/${name}/handler/frame`));
    const config: Record<ProviderName, JsonObject> = {
      spectrocloud: {
        development: {
          clientId: idp.clientIds.post,
          clientSecret: STANDARD_CLIENT_SECRET,
          authorizationUrl: idp.authorizationUrl,
          // A standard IdP issues a refresh token only for offline_access, which
          // OIDC ties to prompt=consent: both providers ask the same way.
          scope: 'openid profile email offline_access',
          prompt: 'consent',
        },
      },
      oidc: {
        development: {
          clientId: idp.clientIds.basic,
          clientSecret: STANDARD_CLIENT_SECRET,
          metadataUrl: `${idp.issuer}/.well-known/openid-configuration`,
          prompt: 'consent',
          additionalScopes: ['offline_access'],
        },
      },
    };
    return Object.fromEntries(names.map(name => [name, config[name]]));
  });
  const started = idp!;
  return {
    url: backend.url,
    authUrl: backend.authUrl,
    idp: { kind: 'standard', issuer: started.issuer },
    authorize: (location, email) => started.authorize(location, email),
    close: async () => {
      await backend.close();
      await started.close();
    },
  };
}
