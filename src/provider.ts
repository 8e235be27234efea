import {
  OAuthAdapter,
  OAuthEnvironmentHandler,
  createAuthProviderIntegration,
  type AuthProviderRouteHandlers,
} from '@backstage/plugin-auth-backend';
import type { AuthProviderFactory, SignInResolver } from '@backstage/plugin-auth-node';
import { readEnvironmentConfig } from './config/readEnvironmentConfig';
import { SpectroCloudConfigError } from './errors';
import {
  SpectroCloudAuthHandlers,
  type SignInEvents,
  type SpectroCloudAuthHandler,
} from './handlers/SpectroCloudAuthHandlers';
import { SpectroCloudAuthMetrics } from './metrics';
import { createSessionTokenCapture, type SessionTokenHooks } from './paletteTokens/capture/capture';
import { withTokenStoreAtRoot } from './paletteTokens/stores/config';
import { createSessionTokenCache } from './paletteTokens/stores/createTokenStore';
import { PendingStoreWrites } from './ttlStore/pendingWrites';
import type { SessionTokenCache } from './paletteTokens/stores/sessionTokenCache';
import type { BackstageCache } from './paletteTokens/stores/backstageCacheStore';
import { RevokedSessions } from './refreshSession/RevokedSessions';
import type { SpectroCloudAuthResult } from './profile';
import type { CookieConfigurerLike } from './refreshSession/cookieSettings';
import { readSignInResolversFromConfig, spectroCloudSignInResolvers } from './resolvers';

/** Keys of `auth.providers.<id>` that are settings, not environments. */
const PROVIDER_LEVEL_KEYS = ['tokenStore'];

export interface SpectroCloudProviderOptions {
  /** Shapes the profile from the verified result; defaults to email, name and picture from the ID token. */
  authHandler?: SpectroCloudAuthHandler;
  /** Maps the verified result to a Backstage identity; without it, `signIn.resolvers` from config is used. */
  signIn?: { resolver: SignInResolver<SpectroCloudAuthResult> };
  /**
   * Where SpectroCloud's HS256 session tokens go. Build it with
   * `createSessionTokenCache` (`.../palette-tokens`) and hand the same object
   * to your backend plugins. Without it, the provider keeps the tokens in a
   * cache of its own on `auth.providers.<id>.tokenStore`, which no plugin can reach.
   * Register the factory under several provider ids (tenants)? Give each its
   * own cache (`createSessionTokenCache(config, { providerId })`).
   */
  sessionTokenCache?: SessionTokenCache;
  /**
   * The backend's cache (`env.cache` in a legacy backend) for the provider's
   * own session-token cache when `sessionTokenCache` is not given: used with
   * `tokenStore.type: backstage-cache`, and when there is no `tokenStore` block.
   */
  cache?: BackstageCache;
  /** Replaces the default capture entirely (advanced). */
  sessionTokens?: SessionTokenHooks;
  /** API path the `spectrocloud-api-token` cookie is scoped to. Default `/api/spectrocloud`, or `/api/<providerId>` for another provider id. */
  sessionCookiePath?: string;
  /** Counters for sign-ins, failures and the token store. Default: the factory's own, see `factory.metrics`. */
  metrics?: SpectroCloudAuthMetrics;
  /** Counts sign-ins and failures (no user data). Default: `metrics`. */
  events?: SignInEvents;
  /** Epoch-milliseconds clock for token checks and `sessionDuration`. Default `Date.now`; tests inject one. */
  clock?: () => number;
}

/** What `spectrocloud.create()` returns: a provider factory that also hands out the counters it reports to. */
export type SpectroCloudProviderFactory = AuthProviderFactory & {
  /** The counters this factory's routers report to (sign-ins, failures by code, token store, hand-off). */
  readonly metrics: SpectroCloudAuthMetrics;
};

function createSpectroCloudProvider(options?: SpectroCloudProviderOptions): SpectroCloudProviderFactory {
  const metrics = options?.metrics ?? new SpectroCloudAuthMetrics();
  const factory: AuthProviderFactory = ({ providerId, globalConfig, config, logger, resolverContext }) => {
    const environments = config.keys().filter(key => !PROVIDER_LEVEL_KEYS.includes(key));
    if (environments.length === 0) {
      throw new SpectroCloudConfigError(
        `'auth.providers.${providerId}' has no environment block. Add one named after auth.environment, e.g. 'auth.providers.${providerId}.development' with clientId, clientSecret and authorizationUrl.`,
        `auth.providers.${providerId}`,
      );
    }
    const cache =
      options?.sessionTokenCache ??
      createSessionTokenCache(withTokenStoreAtRoot(config, providerId), { providerId, logger, metrics, cache: options?.cache });
    const sessionTokens =
      options?.sessionTokens ??
      createSessionTokenCapture({
        cache,
        secure: globalConfig.baseUrl.startsWith('https:'),
        cookiePath: options?.sessionCookiePath ?? defaultSessionCookiePath(providerId),
        logger,
        pendingWrites: new PendingStoreWrites({ what: 'SpectroCloud session token', logger, metrics }),
      });
    // Sign-outs go to the same store as the session tokens, so every replica sharing it refuses the ended session.
    const revokedSessions = new RevokedSessions(
      cache.store,
      new PendingStoreWrites({ what: 'SpectroCloud sign-out', logger, metrics }),
    );
    const handlerFor = (environment: string): AuthProviderRouteHandlers => {
      const envConfig = config.getConfig(environment);
      const path = `auth.providers.${providerId}.${environment}`;
      const settings = readEnvironmentConfig(envConfig, { path, authBaseUrl: globalConfig.baseUrl, providerId });
      const handlers = new SpectroCloudAuthHandlers({
        providerId,
        environment,
        config: settings,
        appUrl: globalConfig.appUrl,
        authBaseUrl: globalConfig.baseUrl,
        isOriginAllowed: globalConfig.isOriginAllowed,
        cookieConfigurer: (globalConfig as { cookieConfigurer?: CookieConfigurerLike }).cookieConfigurer,
        resolverContext,
        authHandler: options?.authHandler,
        signInResolver: options?.signIn?.resolver ?? readSignInResolversFromConfig(envConfig, path),
        logger: logger.child ? logger.child({ provider: providerId, env: environment }) : logger,
        sessionTokens,
        revokedSessions,
        events: options?.events ?? metrics,
        clock: options?.clock,
      });
      return OAuthAdapter.fromConfig(globalConfig, handlers, { providerId, callbackUrl: settings.callbackUrl });
    };
    // Each environment is built under its own name; the handler picks one per request by `?env=`.
    return new OAuthEnvironmentHandler(new Map(environments.map(environment => [environment, handlerFor(environment)])));
  };
  return Object.assign(factory, { metrics });
}

/** `/api/spectrocloud` for the default provider id; a second tenant's cookie goes to its own plugin path. */
function defaultSessionCookiePath(providerId: string): string {
  return providerId === 'spectrocloud' ? '/api/spectrocloud' : `/api/${providerId}`;
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
  resolvers: Readonly<typeof spectroCloudSignInResolvers>;
}>;
