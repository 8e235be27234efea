// One legacy Backstage auth backend with BOTH providers in the same
// `providerFactories`: ours (`spectrocloud`) and Backstage's built-in legacy
// `oidc` provider (the baseline), pointed at the same OIDC server.
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

/**
 * The shared legacy-backend bootstrap (test/support/legacyBackend.ts) with
 * both providers; `providers` gets the auth base URL the callbacks need.
 */
function startBoth(providers: (authUrl: string) => Promise<JsonObject>): Promise<LegacyBackend> {
  return startLegacyBackend({
    providerFactories: {
      spectrocloud: spectrocloud.create({
        signIn: { resolver: spectrocloud.resolvers.emailMatchingUserEntityProfileEmail() },
      }),
      oidc: builtInProviders.oidc.create({
        signIn: { resolver: builtInProviders.oidc.resolvers.emailMatchingUserEntityProfileEmail() },
      }),
    },
    users: [userEntity('alice', 'alice@example.com'), userEntity('bob', 'bob@example.com')],
    // The built-in oidc provider keeps its OAuth state in express-session: it needs this.
    auth: { session: { secret: 'bench-session-secret-3f9b0d1e' } },
    logger: silentLogger(),
    keepAliveTimeoutMs: 60_000,
    providers: backendUrl => providers(`${backendUrl}/api/auth`),
  });
}

/** Both providers against the SpectroCloud emulator (autoApprove with login_hint). */
export async function startEmulatorBackend(): Promise<BenchBackend> {
  let emulator: SpectroCloudEmulator | undefined;
  const backend = await startBoth(async authUrl => {
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

/**
 * Both providers against a standard OIDC server that issues real refresh
 * tokens (oidc-provider via the test harness), so that both refresh paths are
 * real refresh_token grants. Undefined when that harness is not available.
 */
export async function startStandardBackend(): Promise<(BenchBackend & { authorize(location: string, email: string): Promise<string> }) | undefined> {
  const start = await loadStandardIdp();
  if (!start) return undefined;
  let idp: StandardIdp | undefined;
  const backend = await startBoth(async authUrl => {
    idp = await start('bench-standard', [`${authUrl}/spectrocloud/handler/frame`, `${authUrl}/oidc/handler/frame`]);
    return {
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
