import { ConfigReader, type Config } from '@backstage/config';
import {
  OAuthAdapter,
  OAuthEnvironmentHandler,
  createAuthProviderIntegration,
} from '@backstage/plugin-auth-backend';
import type { AuthProviderFactory, SignInResolver } from '@backstage/plugin-auth-node';
import { createSessionTokenCapture } from './handlers/sessionTokenCapture';
import { createTokenStore } from './sessionToken/createTokenStore';
import { setDefaultSessionTokenCache } from './sessionToken/defaultCache';
import { createAuthMetrics, type SpectroCloudAuthMetrics } from './sessionToken/metrics';
import { SessionTokenCache } from './sessionToken/sessionTokenCache';
import { readEnvironmentConfig } from './config/readEnvironmentConfig';
import { SpectroCloudConfigError } from './errors';
import {
  SpectroCloudAuthHandlers,
  type SessionTokenHooks,
  type SignInEvents,
  type SpectroCloudAuthHandler,
} from './handlers/SpectroCloudAuthHandlers';
import type { SpectroCloudAuthResult } from './profile';
import { readSignInResolversFromConfig, spectroCloudSignInResolvers } from './resolvers';

/** Keys of `auth.providers.spectrocloud` that are settings, not environments. */
export const PROVIDER_LEVEL_KEYS = ['tokenStore'];

export interface SpectroCloudProviderOptions {
  /** Shapes the profile from the verified result; defaults to email, name and picture from the ID token. */
  authHandler?: SpectroCloudAuthHandler;
  /** Maps the verified result to a Backstage identity; without it, `signIn.resolvers` from config is used. */
  signIn?: { resolver: SignInResolver<SpectroCloudAuthResult> };
  /**
   * Where SpectroCloud's HS256 session tokens go. Default: a cache on the
   * store configured in `auth.providers.spectrocloud.tokenStore` (memory
   * unless set), also registered as the process default that
   * `getDefaultSessionTokenCache()` and the hand-off middleware use.
   */
  sessionTokenCache?: SessionTokenCache;
  /** Replaces the default capture entirely (advanced). */
  sessionTokens?: SessionTokenHooks;
  /** API path the `spectrocloud-api-token` cookie is scoped to. Default `/api/spectrocloud`. */
  sessionCookiePath?: string;
  /** Counters for sign-ins, failures and the token store. Default: {@link spectroCloudAuthMetrics}. */
  metrics?: SpectroCloudAuthMetrics;
  /** Counts sign-ins and failures (no user data). Default: `metrics`. */
  events?: SignInEvents;
}

/** The process-wide counters the provider reports to unless given others. */
export const spectroCloudAuthMetrics = createAuthMetrics();

function createSpectroCloudProvider(options?: SpectroCloudProviderOptions): AuthProviderFactory {
  return ({ providerId, globalConfig, config, logger, resolverContext }) => {
    const environments = config.keys().filter(key => !PROVIDER_LEVEL_KEYS.includes(key));
    if (environments.length === 0) {
      throw new SpectroCloudConfigError(
        `'auth.providers.${providerId}' has no environment block. Add one named after auth.environment, e.g. 'auth.providers.${providerId}.development' with clientId, clientSecret and authorizationUrl.`,
      );
    }
    const environmentsOnly = new ConfigReader(
      Object.fromEntries(environments.map(env => [env, config.getConfig(env).get()])),
      'auth.providers',
    );
    const metrics = options?.metrics ?? spectroCloudAuthMetrics;
    const sessionTokens = options?.sessionTokens ?? createSessionTokenCapture({
      cache: options?.sessionTokenCache ?? defaultCacheFromConfig(config, logger, metrics),
      secure: globalConfig.baseUrl.startsWith('https:'),
      cookiePath: options?.sessionCookiePath,
      logger,
    });
    // mapConfig visits environmentsOnly.keys() in order; count along to know each block's name.
    let visited = 0;
    return OAuthEnvironmentHandler.mapConfig(environmentsOnly, (envConfig: Config) => {
      const environment = environments[visited++];
      const path = `auth.providers.${providerId}.${environment}`;
      const settings = readEnvironmentConfig(envConfig, { path, authBaseUrl: globalConfig.baseUrl, providerId });
      const signInResolver = options?.signIn?.resolver ?? readSignInResolversFromConfig(envConfig, path);
      const handlers = new SpectroCloudAuthHandlers({
        providerId,
        environment,
        config: settings,
        appUrl: globalConfig.appUrl,
        authBaseUrl: globalConfig.baseUrl,
        isOriginAllowed: globalConfig.isOriginAllowed,
        cookieConfigurer: (globalConfig as { cookieConfigurer?: SpectroCloudCookieConfigurer }).cookieConfigurer,
        resolverContext,
        authHandler: options?.authHandler,
        signInResolver,
        logger: logger.child ? logger.child({ provider: providerId, env: environment }) : logger,
        sessionTokens,
        events: options?.events ?? metrics,
      });
      return OAuthAdapter.fromConfig(globalConfig, handlers, { providerId, callbackUrl: settings.callbackUrl });
    });
  };
}

/** The cache on the configured store, shared with backend plugins in this process. */
function defaultCacheFromConfig(config: Config, logger: FactoryLogger, metrics: SpectroCloudAuthMetrics): SessionTokenCache {
  const tokenStore = config.getOptional('tokenStore');
  // readTokenStoreConfig reads from the root, where its error messages point.
  const root = new ConfigReader(tokenStore === undefined ? {} : { auth: { providers: { spectrocloud: { tokenStore } } } });
  const cache = new SessionTokenCache({ store: createTokenStore(root, { logger, metrics }) });
  setDefaultSessionTokenCache(cache);
  return cache;
}

type FactoryLogger = Parameters<AuthProviderFactory>[0]['logger'];
type SpectroCloudCookieConfigurer = ConstructorParameters<typeof SpectroCloudAuthHandlers>[0]['cookieConfigurer'];

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
});
