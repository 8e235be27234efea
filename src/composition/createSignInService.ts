import type { SpectroCloudEnvironmentConfig } from '../config/readEnvironmentConfig';
import { createOutboundClient } from '../http/createOutboundClient';
import type { OutboundClient } from '../http/OutboundClient';
import type { SpectroCloudLogger } from '../logger';
import { PassportOAuth2Client } from '../oauth2/PassportOAuth2Client';
import { EndpointResolver, type ResolvedEndpoints } from '../oidc/EndpointResolver';
import { IdTokenVerifier } from '../oidc/IdTokenVerifier';
import type { CookieConfigurerLike } from '../refreshSession/cookieSettings';
import { RefreshCookie } from '../refreshSession/RefreshCookie';
import { RevokedSessions } from '../refreshSession/RevokedSessions';
import { ConcurrentRefreshGrants } from '../refreshShortcuts/ConcurrentRefreshGrants';
import { BrowserBinding, hostCookieSettings } from '../signInService/BrowserBinding';
import type { PaletteTokenHooks, SignInEvents, SignInServiceDeps } from '../signInService/ports';
import { SignInService } from '../signInService/SignInService';
import type { SpectroCloudStore } from '../ttlStore/types';
import { MemoryStore } from '../ttlStore/memoryStore';
import { PendingStoreWrites } from '../ttlStore/pendingWrites';

export interface SignInServiceInput {
  providerId: string;
  environment: string;
  config: SpectroCloudEnvironmentConfig;
  appUrl: string;
  /** the auth backend's external base URL, e.g. http://localhost:7007/api/auth */
  authBaseUrl: string;
  logger: SpectroCloudLogger;
  /** how the backend sets its cookies (legacy routers from 0.20 and the new system pass one) */
  cookieConfigurer?: CookieConfigurerLike;
  /** max-age of the refresh cookie's extra pieces; default the legacy adapter's 1000 days */
  refreshCookieMaxAgeMs?: number;
  /** the new backend system: also clear cookies a legacy sign-in left under `Domain=<callback host>` */
  clearLegacyDomainCookies?: boolean;
  /** Where sign-out records ended sessions; give every replica the same store. Default: this process's memory. */
  revokedSessions?: RevokedSessions;
  /**
   * Where concurrent refreshes of one session meet, so that one refresh token
   * is presented once: the provider's token store (shared by replicas when it
   * is Redis). Default: this process's memory.
   */
  refreshGrantStore?: SpectroCloudStore;
  /** an outbound client built already for this environment (the doctor's) */
  http?: OutboundClient;
  /** endpoints found already (the doctor's discovery check), instead of the resolver's */
  endpoints?: () => Promise<ResolvedEndpoints>;
  /** epoch ms; read per call (tests move time with vi.setSystemTime) */
  clock?: () => number;
  /** Read discovery now, so the first sign-in does not wait for it (failures fall back quietly). Default true. */
  warmDiscovery?: boolean;
  /** keeps the Palette token at sign-in and drops it at sign-out (the provider's capture) */
  paletteTokens?: PaletteTokenHooks;
  /** counts sign-ins and failures (no user data) */
  events?: SignInEvents;
}

/**
 * The one composition root of an environment: the legacy integration, the
 * new-system module and the doctor all build the sign-in service (or, for the
 * doctor, its parts) here, so none of them wires the verifier, the binding or
 * the cookies differently.
 */
export function createSignInService(input: SignInServiceInput): SignInService {
  return new SignInService(createSignInServiceDeps(input));
}

/** The service's parts, each the real implementation of a port (`signInService/ports.ts`); the doctor's checks use the verifier and the client. */
export function createSignInServiceDeps(input: SignInServiceInput): SignInServiceDeps & { verifier: IdTokenVerifier; endpoints: EndpointResolver } {
  const { config, providerId, environment, logger } = input;
  const clock = input.clock ?? (() => Date.now());
  const http = input.http ?? createOutboundClient(config);
  const endpoints = new EndpointResolver(config, http, logger, clock);
  const verifier = new IdTokenVerifier({
    clientId: config.clientId,
    algorithms: config.algorithms,
    clockTolerance: config.clockTolerance,
    http,
    maxIdTokenBytes: config.maxIdTokenBytes,
    jwksCacheMaxAgeMs: config.jwksCacheMaxAge * 1000,
    jwksRefetchIntervalMs: config.jwksRefetchInterval * 1000,
    endpoints: input.endpoints ?? (() => endpoints.resolve()),
    resolvedEndpoints: input.endpoints ? undefined : () => endpoints.resolved(),
    clock,
    requireVerifiedEmail: config.requireVerifiedEmail,
  });
  const binding = new BrowserBinding(config.clientSecret, providerId, hostCookieSettings(config.callbackUrl, input.appUrl, providerId));
  const cookie = new RefreshCookie({
    providerId,
    environment,
    clientSecret: config.clientSecret,
    appUrl: input.appUrl,
    authBaseUrl: input.authBaseUrl,
    callbackUrl: config.callbackUrl,
    cookieConfigurer: input.cookieConfigurer,
    maxAgeMs: input.refreshCookieMaxAgeMs,
    clearLegacyDomainCookies: input.clearLegacyDomainCookies,
  });
  const revocations =
    input.revokedSessions ??
    new RevokedSessions(new MemoryStore(), new PendingStoreWrites({ what: 'SpectroCloud sign-out', logger }));
  if (input.warmDiscovery !== false) endpoints.resolve().catch(() => undefined);
  const warned = new Set<string>();
  const warnOnce = (key: string, message: string) => {
    if (warned.has(key)) return;
    warned.add(key);
    logger.warn(message);
  };
  const refreshGrants = new ConcurrentRefreshGrants({
    store: input.refreshGrantStore ?? new MemoryStore(),
    holdMs: refreshGrantHoldMs(config.timeout),
    clock,
    warnOnce,
  });
  return {
    providerId,
    environment,
    config,
    appUrl: input.appUrl,
    verifier,
    endpoints,
    binding,
    oauth2: new PassportOAuth2Client(config, http),
    cookie,
    revocations,
    refreshGrants,
    http,
    paletteTokens: input.paletteTokens,
    events: input.events,
    logger,
    clock,
    warnOnce,
  };
}

/**
 * How long one refresh grant may be in flight: the token call, a JWKS fetch
 * and the userinfo call, each bounded by `timeout`. It bounds a loser's wait
 * and how long the shared result is kept (30 s with the default timeout).
 */
export function refreshGrantHoldMs(timeoutMs: number): number {
  return 3 * timeoutMs;
}
