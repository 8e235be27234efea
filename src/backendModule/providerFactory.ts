import {
  OAuthEnvironmentHandler,
  createOAuthRouteHandlers,
  type AuthProviderFactory,
  type AuthProviderRouteHandlers,
} from '@backstage/plugin-auth-node';
import { SpectroCloudAuthError } from '../errors';
import { createEnvironmentParts, type EnvironmentParts } from '../environment/createEnvironmentParts';
import { createProviderParts, readEnvironment } from '../environment/createProviderParts';
import type { SpectroCloudAuthMetrics } from '../metrics';
import type { PaletteTokenCache } from '../paletteTokens/stores/paletteTokenCache';
import { newSystemCookieConfigurer, type CookieConfigurerLike } from '../refreshSession/cookieSettings';
import { readSignInResolversFromConfig } from '../resolvers';
import { createSpectroCloudAuthenticator, type PendingSignIn, type SpectroCloudOAuthResult } from './authenticator';
import { captureOnSignIn } from './captureOnSignIn';
import { clearLegacyNonceCookie } from './legacyNonceCookie';
import { withOurProviderInfoOnRefresh, type RefreshSessionEnds } from './refreshProviderInfo';
import { ReusedSignIns } from './reusedSignIns';

export interface SpectroCloudModuleProviderOptions {
  metrics: SpectroCloudAuthMetrics;
  /** the cache the session-token service reads (one per provider id) */
  sessionTokenCache: PaletteTokenCache;
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
      sessionTokenCache: options.sessionTokenCache,
    });
    const handlerFor = (environment: string): AuthProviderRouteHandlers => {
      const { envConfig, path, settings } = readEnvironment(config, { providerId, environment, authBaseUrl: baseUrl });
      // Only under plugin-auth-node's own cookie settings: a configurer of the backend's may set that domain itself.
      const clearLegacyDomainCookies = cookieConfigurer === undefined;
      const parts = createEnvironmentParts({
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
      });
      const pending = new WeakMap<SpectroCloudOAuthResult, PendingSignIn>();
      const signIns = new ReusedSignIns(parts.clock);
      const sessionEnds: RefreshSessionEnds = new WeakMap();
      const configured = readSignInResolversFromConfig(envConfig, path);
      const resolver = configured && signIns.wrap(configured);
      const handlers = createOAuthRouteHandlers({
        authenticator: createSpectroCloudAuthenticator({
          parts,
          isOriginAllowed,
          sessionTokens: provider.sessionTokens,
          events: options.metrics,
          pending,
          signIns,
          sessionEnds,
        }),
        appUrl,
        baseUrl,
        config: envConfig,
        isOriginAllowed,
        cookieConfigurer,
        providerId,
        resolverContext,
        signInResolver: resolver && captureOnSignIn(resolver, { parts, sessionTokens: provider.sessionTokens, pending }),
      });
      const ours = withOurRefreshStatus(withOurProviderInfoOnRefresh(handlers, parts, sessionEnds));
      return clearLegacyDomainCookies ? withLegacyNonceCleared(ours, parts) : ours;
    };
    return new OAuthEnvironmentHandler(new Map(provider.environments.map(environment => [environment, handlerFor(environment)])));
  };
}

/**
 * Clears a legacy nonce cookie before plugin-auth-node sets its own: where
 * both are the same cookie (`localhost`, or a client that ignores `Domain`),
 * the new one is written last and wins.
 */
function withLegacyNonceCleared(handlers: AuthProviderRouteHandlers, parts: EnvironmentParts): AuthProviderRouteHandlers {
  return {
    ...bound(handlers),
    start: async (req, res) => {
      clearLegacyNonceCookie(req, parts);
      await handlers.start(req, res);
    },
  };
}

function bound(handlers: AuthProviderRouteHandlers): AuthProviderRouteHandlers {
  return {
    start: handlers.start.bind(handlers),
    frameHandler: handlers.frameHandler.bind(handlers),
    refresh: handlers.refresh?.bind(handlers),
    logout: handlers.logout?.bind(handlers),
  };
}

/**
 * The route handlers turn every refresh failure into 401 "Refresh failed".
 * A store outage or an unreachable SpectroCloud is not the user's session
 * ending: those keep their own status (503, 502), as under the legacy router,
 * so the app retries instead of signing the user out.
 */
function withOurRefreshStatus(handlers: AuthProviderRouteHandlers): AuthProviderRouteHandlers {
  const refresh = handlers.refresh?.bind(handlers);
  if (!refresh) return handlers;
  return {
    ...bound(handlers),
    refresh: async (req, res) => {
      try {
        await refresh(req, res);
      } catch (error) {
        const cause = (error as { cause?: unknown }).cause;
        if (isOurs(cause) && (cause.statusCode ?? 500) >= 500) throw cause;
        throw error;
      }
    },
  };
}

function isOurs(error: unknown): error is SpectroCloudAuthError {
  return error instanceof SpectroCloudAuthError;
}
