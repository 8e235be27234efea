import {
  OAuthAdapter,
  OAuthEnvironmentHandler,
  createAuthProviderIntegration,
  type AuthProviderRouteHandlers,
} from '@backstage/plugin-auth-backend';
import type { AuthProviderFactory, SignInResolver } from '@backstage/plugin-auth-node';
import { createSignInService } from '../composition/createSignInService';
import { createProviderParts, readEnvironment } from '../environment/createProviderParts';
import { SpectroCloudAuthMetrics } from '../metrics';
import type { PaletteTokenCapture } from '../paletteTokens/capture/capture';
// `.../palette-tokens` exports both; the main entry's API names them (scripts/api-report.mjs checks that).
import type { createPaletteTokenCache } from '../paletteTokens/stores/createPaletteTokenCache';
import type { PaletteTokenCache } from '../paletteTokens/stores/paletteTokenCache';
import type { SpectroCloudAuthResult } from '../profile';
import type { CookieConfigurerLike } from '../refreshSession/cookieSettings';
import { readSignInResolversFromConfig, spectroCloudSignInResolvers, type SpectroCloudSignInResolvers } from '../resolvers';
import type { SignInEvents } from '../signInService/ports';
import { SpectroCloudAuthHandlers, type SpectroCloudAuthHandler } from './SpectroCloudAuthHandlers';

export interface SpectroCloudProviderOptions {
  /** Shapes the profile from the verified result; defaults to email, name and picture from the ID token. */
  authHandler?: SpectroCloudAuthHandler;
  /** Maps the verified result to a Backstage identity; without it, `signIn.resolvers` from config is used. */
  signIn?: { resolver: SignInResolver<SpectroCloudAuthResult> };
  /**
   * Where Palette tokens (SpectroCloud's HS256 token) go. Build it with
   * `createPaletteTokenCache` (`.../palette-tokens`) and hand the same object
   * to your backend plugins. Without it, the provider keeps the tokens in a
   * cache of its own on `auth.providers.<id>.tokenStore`, which no plugin can reach.
   * Register the factory under several provider ids (tenants)? Give each its
   * own cache (`createPaletteTokenCache(config, { providerId })`).
   */
  paletteTokenCache?: PaletteTokenCache;
  /**
   * The released name of `paletteTokenCache`, still read; giving both with different caches is an error.
   * @deprecated Use `paletteTokenCache`.
   */
  sessionTokenCache?: PaletteTokenCache;
  /**
   * The backend's cache (`env.cache` in a legacy backend) for the provider's
   * own Palette-token cache when `paletteTokenCache` is not given: used with
   * `tokenStore.type: backstage-cache`, and when there is no `tokenStore` block.
   */
  cache?: NonNullable<Parameters<typeof createPaletteTokenCache>[1]>['cache'];
  /** @internal Replaces the default capture entirely (the package's own tests). */
  paletteTokens?: PaletteTokenCapture;
  /** API path the `spectrocloud-api-token` cookie is scoped to (written only with `tokenStore.paletteTokenCookie: true`). Default `/api/spectrocloud`, or `/api/<providerId>` for another provider id. */
  paletteTokenCookiePath?: string;
  /**
   * The released name of `paletteTokenCookiePath`, still read; giving both with different paths is an error.
   * @deprecated Use `paletteTokenCookiePath`.
   */
  sessionCookiePath?: string;
  /** Counters for sign-ins, failures and the token store. Default: the factory's own, see `factory.metrics`. */
  metrics?: SpectroCloudAuthMetrics;
  /** @internal Counts sign-ins and failures (no user data). Default: `metrics`. */
  events?: SignInEvents;
  /** @internal Epoch-milliseconds clock for token checks and `sessionDuration`. Default `Date.now`; tests inject one. */
  clock?: () => number;
}

/** What `spectrocloud.create()` returns: a provider factory that also hands out the counters it reports to. */
export type SpectroCloudProviderFactory = AuthProviderFactory & {
  /** The counters this factory's routers report to (sign-ins, failures by code, token store, hand-off). */
  readonly metrics: SpectroCloudAuthMetrics;
};

function createSpectroCloudProvider(options?: SpectroCloudProviderOptions): SpectroCloudProviderFactory {
  const metrics = options?.metrics ?? new SpectroCloudAuthMetrics();
  // Options renamed in issue 25 (one vocabulary): the released names are still read.
  const paletteTokenCache = readRenamedOption(options, 'paletteTokenCache', 'sessionTokenCache');
  const paletteTokenCookiePath = readRenamedOption(options, 'paletteTokenCookiePath', 'sessionCookiePath');
  const factory: AuthProviderFactory = ({ providerId, globalConfig, config, logger, resolverContext }) => {
    const provider = createProviderParts({
      providerId,
      config,
      secure: globalConfig.baseUrl.startsWith('https:'),
      logger,
      metrics,
      paletteTokenCache,
      cache: options?.cache,
      paletteTokens: options?.paletteTokens,
      paletteTokenCookiePath,
    });
    const handlerFor = (environment: string): AuthProviderRouteHandlers => {
      const { envConfig, path, settings } = readEnvironment(config, { providerId, environment, authBaseUrl: globalConfig.baseUrl });
      const service = createSignInService({
        providerId,
        environment,
        config: settings,
        appUrl: globalConfig.appUrl,
        authBaseUrl: globalConfig.baseUrl,
        // Read from globalConfig: routers before 0.20 pass no cookieConfigurer.
        cookieConfigurer: (globalConfig as { cookieConfigurer?: CookieConfigurerLike }).cookieConfigurer,
        logger: logger.child ? logger.child({ provider: providerId, env: environment }) : logger,
        revokedSessions: provider.revokedSessions,
        refreshGrantStore: provider.refreshGrantStore,
        clock: options?.clock,
        paletteTokens: provider.paletteTokens,
        events: options?.events ?? metrics,
      });
      const handlers = new SpectroCloudAuthHandlers({
        service,
        isOriginAllowed: globalConfig.isOriginAllowed,
        resolverContext,
        authHandler: options?.authHandler,
        signInResolver: options?.signIn?.resolver ?? readSignInResolversFromConfig(envConfig, path),
      });
      return OAuthAdapter.fromConfig(globalConfig, handlers, { providerId, callbackUrl: settings.callbackUrl });
    };
    // Each environment is built under its own name; the handler picks one per request by `?env=`.
    return new OAuthEnvironmentHandler(new Map(provider.environments.map(environment => [environment, handlerFor(environment)])));
  };
  return Object.assign(factory, { metrics });
}

/** An option under its current name or its released one; both naming different values is a mistake refused at once. */
function readRenamedOption<Current extends keyof SpectroCloudProviderOptions, Released extends keyof SpectroCloudProviderOptions>(
  options: SpectroCloudProviderOptions | undefined,
  current: Current,
  released: Released,
): SpectroCloudProviderOptions[Current] | SpectroCloudProviderOptions[Released] {
  const now = options?.[current];
  const before = options?.[released];
  if (now !== undefined && before !== undefined && now !== before) {
    throw new TypeError(
      `spectrocloud.create(): ${current} and ${released} are both given, with different values. Keep only ${current} (${released} is its old name).`,
    );
  }
  return now ?? before;
}

/**
 * The SpectroCloud Palette provider for the legacy auth backend's
 * `providerFactories`.
 *
 * @example
 * providerFactories: {
 *   ...defaultAuthProviderFactories,
 *   spectrocloud: spectrocloud.create({
 *     signIn: { resolver: spectrocloud.resolvers.emailMatchingUserEntityProfileEmail() },
 *   }),
 * }
 */
export const spectrocloud = createAuthProviderIntegration({
  create: createSpectroCloudProvider,
  resolvers: spectroCloudSignInResolvers,
}) as SpectroCloudIntegration;

// createAuthProviderIntegration hands back our `create` unchanged but types it as a plain factory.
/** The type of {@link spectrocloud}. */
export type SpectroCloudIntegration = Readonly<{
  create(options?: SpectroCloudProviderOptions): SpectroCloudProviderFactory;
  resolvers: Readonly<SpectroCloudSignInResolvers>;
}>;
