import {
  OAuthEnvironmentHandler,
  createOAuthRouteHandlers,
  type AuthProviderFactory,
  type AuthProviderRouteHandlers,
} from '@backstage/plugin-auth-node';
import { createSignInService } from '../composition/createSignInService';
import { createProviderParts, readEnvironment } from '../environment/createProviderParts';
import type { SpectroCloudAuthMetrics } from '../metrics';
import type { PaletteTokenCache } from '../paletteTokens/stores/paletteTokenCache';
import { newSystemCookieConfigurer, type CookieConfigurerLike } from '../refreshSession/cookieSettings';
import { readSignInResolversFromConfig } from '../resolvers';
import { createSpectroCloudAuthenticator, type ModuleSignInResult, type PendingSignIn } from './authenticator';
import { captureOnSignIn } from './captureOnSignIn';
import { withOurRouteAdditions, type RefreshSessionEnds } from './routeHandlerAdditions';
import { ReusedSignIns } from './reusedSignIns';

export interface SpectroCloudModuleProviderOptions {
  metrics: SpectroCloudAuthMetrics;
  /** the cache the Palette-token service reads (one per provider id) */
  paletteTokenCache: PaletteTokenCache;
  clock?: () => number;
}

/**
 * The provider factory the module registers: plugin-auth-node's
 * `createOAuthRouteHandlers` per environment (cookies, state, nonce, web
 * message), on our authenticator. Not `createOAuthProviderFactory`: it takes
 * every key of `auth.providers.<id>` for an environment (ours has
 * `tokenStore` beside them), and its resolvers would not see our capture.
 */
export function createSpectroCloudModuleProvider(options: SpectroCloudModuleProviderOptions): AuthProviderFactory {
  return ({ providerId, config, logger, resolverContext, baseUrl, appUrl, isOriginAllowed, cookieConfigurer }) => {
    const provider = createProviderParts({
      providerId,
      config,
      secure: baseUrl.startsWith('https:'),
      logger,
      metrics: options.metrics,
      paletteTokenCache: options.paletteTokenCache,
    });
    const handlerFor = (environment: string): AuthProviderRouteHandlers => {
      const { envConfig, path, settings } = readEnvironment(config, { providerId, environment, authBaseUrl: baseUrl });
      // Only under plugin-auth-node's own cookie settings: a configurer of the backend's may set that domain itself.
      const clearLegacyDomainCookies = cookieConfigurer === undefined;
      const service = createSignInService({
        providerId,
        environment,
        config: settings,
        appUrl,
        authBaseUrl: baseUrl,
        cookieConfigurer: (cookieConfigurer as CookieConfigurerLike | undefined) ?? newSystemCookieConfigurer,
        // The route handlers give the first piece sessionDuration as max-age; the other pieces follow it.
        refreshCookieMaxAgeMs: settings.sessionDurationMs,
        clearLegacyDomainCookies,
        logger: logger.child({ provider: providerId, env: environment }),
        revokedSessions: provider.revokedSessions,
        refreshGrantStore: provider.refreshGrantStore,
        clock: options.clock,
        paletteTokens: provider.paletteTokens,
        events: options.metrics,
      });
      const signIns = new ReusedSignIns(() => service.now());
      const sessionEnds: RefreshSessionEnds = new WeakMap();
      const configured = readSignInResolversFromConfig(envConfig, path);
      const resolver = configured && signIns.wrap(configured);
      const pending = resolver && new WeakMap<ModuleSignInResult, PendingSignIn>();
      const handlers = createOAuthRouteHandlers({
        authenticator: createSpectroCloudAuthenticator({ service, isOriginAllowed, pending, signIns, sessionEnds }),
        appUrl,
        baseUrl,
        config: envConfig,
        isOriginAllowed,
        cookieConfigurer,
        providerId,
        resolverContext,
        signInResolver: resolver && pending && captureOnSignIn(resolver, { service, pending }),
      });
      return withOurRouteAdditions(handlers, { service, sessionEnds, clearLegacyNonce: clearLegacyDomainCookies, callbackUrl: settings.callbackUrl, appUrl });
    };
    return new OAuthEnvironmentHandler(new Map(provider.environments.map(environment => [environment, handlerFor(environment)])));
  };
}
