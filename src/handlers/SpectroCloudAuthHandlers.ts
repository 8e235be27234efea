import type { Request } from 'express';
import jwt from 'jsonwebtoken';
import type {
  AuthResolverContext,
  BackstageSignInResult,
  ProfileInfo,
  SignInResolver,
} from '@backstage/plugin-auth-node';
import { encodeState, readState } from '@backstage/plugin-auth-backend';
import type {
  OAuthHandlers,
  OAuthLogoutRequest,
  OAuthRefreshRequest,
  OAuthResponse,
  OAuthStartRequest,
  OAuthStartResponse,
} from '@backstage/plugin-auth-backend';
import type { SpectroCloudEnvironmentConfig } from '../config/readEnvironmentConfig';
import { SpectroCloudAuthError, SpectroCloudNetworkError, SpectroCloudRefreshSessionError, SpectroCloudRequestError } from '../errors';
import { createOutboundClient } from '../http/createOutboundClient';
import type { OutboundClient } from '../http/OutboundClient';
import { EndpointResolver } from '../oidc/EndpointResolver';
import { withUserInfo } from '../oidc/fetchUserInfo';
import { revokeRefreshToken } from '../oidc/revokeRefreshToken';
import { endSessionUrl } from '../oidc/endSessionUrl';
import { checkAuthorizationResponseIssuer } from '../oidc/checkAuthorizationResponseIssuer';
import { checkRefreshedIdToken } from '../oidc/checkRefreshedIdToken';
import { IdTokenVerifier, type IdTokenClaims } from '../oidc/IdTokenVerifier';
import { passportProfileFromClaims, profileFromClaims, readEmail, type SpectroCloudAuthResult } from '../profile';
import { BrowserBinding } from '../refreshSession/BrowserBinding';
import type { CookieConfigurerLike } from '../refreshSession/cookieSettings';
import { RefreshCookie } from '../refreshSession/RefreshCookie';
import type { SessionPayload } from '../refreshSession/SealedSession';
import { newSessionId, RevokedSessions } from '../refreshSession/RevokedSessions';
import { MemoryTokenStore } from '../ttlStore/memoryStore';
import { PendingStoreWrites } from '../ttlStore/pendingWrites';
import { runStrategy } from '../strategy/runStrategy';
import type { SpectroCloudStrategy, SpectroCloudTokenSet } from '../strategy/SpectroCloudStrategy';
import { strategyPerTokenUrl } from '../strategy/strategyPerTokenUrl';
import { assertRedirectAllowed } from './assertRedirectAllowed';
import { readLoginHint } from './readLoginHint';
import { findSessionToken, type SessionTokenHooks } from '../paletteTokens/capture/capture';
import { lastGrant, mayReuseGrant, reusedGrantParams, withRememberedUserInfo } from '../refreshShortcuts/grantReuse';
import { SignInCache } from '../refreshShortcuts/SignInCache';

export type { SessionTokenHooks };

export type SpectroCloudAuthHandler = (
  result: SpectroCloudAuthResult,
  context: AuthResolverContext,
) => Promise<{ profile: ProfileInfo }>;

/** `provider`: the provider id (e.g. `spectrocloud-eu`), so one counter object can serve several tenants. */
export interface SignInEvents {
  signIn(provider?: string): void;
  signInFailure(code: string, provider?: string): void;
}

/** Never handed a token, code, secret or email. */
export interface HandlerLogger {
  info(message: string): void;
  warn(message: string): void;
}

export interface SpectroCloudAuthHandlersOptions {
  providerId: string;
  environment: string;
  config: SpectroCloudEnvironmentConfig;
  appUrl: string;
  /** the auth backend's external base URL, e.g. http://localhost:7007/api/auth */
  authBaseUrl: string;
  isOriginAllowed?: (origin: string) => boolean;
  cookieConfigurer?: CookieConfigurerLike;
  resolverContext: AuthResolverContext;
  authHandler?: SpectroCloudAuthHandler;
  signInResolver?: SignInResolver<SpectroCloudAuthResult>;
  logger: HandlerLogger;
  sessionTokens?: SessionTokenHooks;
  /**
   * Where sign-out records ended sessions; give every replica the same store
   * (the session-token store). Default: this process's memory only.
   */
  revokedSessions?: RevokedSessions;
  events?: SignInEvents;
  clock?: () => number;
}

/**
 * The OAuthHandlers behind `/start`, `/handler/frame`, `/refresh` and
 * `/logout`; the Backstage OAuthAdapter owns the nonce cookie, the state
 * and the refresh cookie around them.
 */
export class SpectroCloudAuthHandlers implements OAuthHandlers {
  private readonly http: OutboundClient;
  private readonly endpoints: EndpointResolver;
  private readonly verifier: IdTokenVerifier;
  private readonly binding: BrowserBinding;
  private readonly refreshCookie: RefreshCookie;
  private readonly strategyFor: (tokenUrl: string) => SpectroCloudStrategy;
  private readonly clock: () => number;
  private warnedNoEndSession = false;
  private readonly revokedSessions: RevokedSessions;
  private readonly signIns: SignInCache<{ profile: ProfileInfo; backstageIdentity?: BackstageSignInResult }>;

  constructor(private readonly options: SpectroCloudAuthHandlersOptions) {
    const { config, providerId, environment } = options;
    // Read per call, not captured: tests move time with vi.setSystemTime.
    this.clock = options.clock ?? (() => Date.now());
    this.http = createOutboundClient(config);
    this.endpoints = new EndpointResolver(config, this.http, options.logger, this.clock);
    this.verifier = new IdTokenVerifier({
      clientId: config.clientId,
      algorithms: config.algorithms,
      clockTolerance: config.clockTolerance,
      http: this.http,
      maxIdTokenBytes: config.maxIdTokenBytes,
      jwksCacheMaxAgeMs: config.jwksCacheMaxAge * 1000,
      jwksRefetchIntervalMs: config.jwksRefetchInterval * 1000,
      endpoints: () => this.endpoints.resolve(),
      clock: this.clock,
      requireVerifiedEmail: config.requireVerifiedEmail,
    });
    this.binding = new BrowserBinding(config.clientSecret, providerId);
    this.refreshCookie = new RefreshCookie({
      providerId,
      environment,
      clientSecret: config.clientSecret,
      appUrl: options.appUrl,
      authBaseUrl: options.authBaseUrl,
      callbackUrl: config.callbackUrl,
      cookieConfigurer: options.cookieConfigurer,
    });
    this.revokedSessions =
      options.revokedSessions ??
      new RevokedSessions(new MemoryTokenStore(), new PendingStoreWrites({ what: 'SpectroCloud sign-out', logger: options.logger }));
    this.signIns = new SignInCache({ clock: () => this.clock() });
    this.strategyFor = strategyPerTokenUrl(config, this.verifier, req => this.binding.forCallback(req).nonce, this.http);
    // Warm discovery so the first sign-in does not wait for it; failures fall back quietly.
    this.endpoints.resolve().catch(() => undefined);
  }

  async start(req: OAuthStartRequest): Promise<OAuthStartResponse> {
    this.assertRedirectAllowed(req.state);
    const loginHint = readLoginHint(req.query as Record<string, unknown>);
    const bound = this.binding.forStart(req.state.nonce);
    const { tokenUrl } = await this.endpoints.resolve();
    const outcome = await runStrategy(
      this.strategyFor(tokenUrl),
      req,
      {
        state: encodeState(req.state),
        scope: mergeScopes(this.options.config.scope, req.scope),
        nonce: bound.nonce,
        codeChallenge: bound.codeChallenge,
        extraParams: { ...this.options.config.startUrlSearchParams, ...(loginHint ? { login_hint: loginHint } : {}) },
      },
      strategyBackstopMs(this.options.config.timeout),
    );
    if (outcome.kind !== 'redirect') throw new SpectroCloudRequestError('ERR_AUTHORIZE_URL', 'Could not build the SpectroCloud sign-in URL');
    return { url: outcome.url, status: outcome.status };
  }

  async handler(req: Request): Promise<{ response: OAuthResponse; refreshToken?: string }> {
    try {
      const query = req.query as Record<string, unknown>;
      const code = query.code ?? (req.body as Record<string, unknown> | undefined)?.code;
      if (!code && !query.error) {
        throw new SpectroCloudRequestError('ERR_MISSING_CODE', 'The sign-in callback carried no authorization code; start the sign-in again');
      }
      const state = readState(String(query.state ?? ''));
      this.assertRedirectAllowed(state);
      const bound = this.binding.forCallback(req);
      checkAuthorizationResponseIssuer(query, await this.endpoints.resolve());
      const { tokenUrl, userinfoUrl } = await this.endpoints.resolve();
      const outcome = await runStrategy(
        this.strategyFor(tokenUrl),
        req,
        { codeVerifier: bound.codeVerifier },
        strategyBackstopMs(this.options.config.timeout),
      );
      if (outcome.kind !== 'success') throw new SpectroCloudRequestError('ERR_CALLBACK_UNEXPECTED', 'The sign-in callback did not complete the code exchange; start the sign-in again');
      const tokens = outcome.user as SpectroCloudTokenSet;
      const claims = await withUserInfo(tokens.claims, userinfoUrl, tokens.accessToken, this.http);

      const sessionToken = findSessionToken(tokens.refreshToken, code);
      const realRefreshToken = tokens.refreshToken && tokens.refreshToken !== sessionToken ? tokens.refreshToken : undefined;
      const session = { sessionId: newSessionId(), signedInAt: this.clock() };
      const response = await this.respond(claims, tokens.idToken, tokens.accessToken, tokens.params, this.durationEndsAt(session), session);
      const userEntityRef = userEntityRefOf(response.backstageIdentity);
      const email = readEmail(claims);
      if (sessionToken && this.options.sessionTokens) {
        await this.options.sessionTokens.remember({
          req,
          userEntityRef,
          email,
          sessionToken,
          expiresAt: Math.min(claims.exp * 1000, this.durationEndsAt(session)),
        });
      }
      const identity = { ...session, idToken: tokens.idToken, accessToken: tokens.accessToken, userEntityRef, email };
      const payload: SessionPayload = realRefreshToken
        ? { kind: 'refresh-token', refreshToken: realRefreshToken, ...identity, lastGrant: lastGrant({ now: this.clock(), verified: tokens.claims, claims, expiresIn: tokens.params.expires_in }) }
        : { kind: 'id-token', ...identity };
      const refreshCookie = this.refreshCookie.write(req, payload, state.origin);
      this.options.events?.signIn(this.options.providerId);
      this.options.logger.info(`SpectroCloud sign-in succeeded (provider ${this.options.providerId}, env ${this.options.environment})`);
      return { response, refreshToken: refreshCookie };
    } catch (error) {
      const failure = SpectroCloudAuthError.from(error);
      this.options.events?.signInFailure(failure.code, this.options.providerId);
      this.options.logger.warn(`SpectroCloud sign-in failed: ${failure.code}: ${failure.message}`);
      throw failure;
    }
  }

  async refresh(req: OAuthRefreshRequest): Promise<{ response: OAuthResponse; refreshToken?: string }> {
    const payload = this.refreshCookie.read(req, req.refreshToken);
    await this.assertSessionLive(payload);
    if (payload.kind === 'id-token') {
      const claims = await this.reverify(payload.idToken);
      return { response: await this.respond(claims, payload.idToken, payload.accessToken ?? '', {}, this.durationEndsAt(payload), payload) };
    }
    if (mayReuseGrant(payload.lastGrant, this.clock(), this.options.config.refreshGrantInterval * 1000)) {
      const claims = withRememberedUserInfo(await this.reverify(payload.idToken), payload.lastGrant);
      const params = reusedGrantParams(payload.lastGrant, this.clock());
      return { response: await this.respond(claims, payload.idToken, payload.accessToken ?? '', params, this.durationEndsAt(payload), payload) };
    }
    const { tokenUrl, userinfoUrl } = await this.endpoints.resolve();
    const refreshed = await this.strategyFor(tokenUrl).refreshTokens(payload.refreshToken, req.scope || undefined);
    const idToken = typeof refreshed.params.id_token === 'string' ? refreshed.params.id_token : payload.idToken;
    const verified = await this.reverify(idToken);
    checkRefreshedIdToken(payload.idToken, verified);
    const claims = await withUserInfo(verified, userinfoUrl, refreshed.accessToken, this.http);
    const response = await this.respond(claims, idToken, refreshed.accessToken, refreshed.params, this.durationEndsAt(payload), payload);
    const next: SessionPayload = {
      ...payload,
      refreshToken: refreshed.refreshToken ?? payload.refreshToken,
      idToken,
      accessToken: refreshed.accessToken,
      lastGrant: lastGrant({ now: this.clock(), verified, claims, expiresIn: refreshed.params.expires_in }),
    };
    return { response, refreshToken: this.refreshCookie.write(req, next, req.get('origin')) };
  }

  async logout(req: OAuthLogoutRequest): Promise<void> {
    let payload: SessionPayload | undefined;
    try {
      payload = this.refreshCookie.read(req, req.refreshToken);
    } catch {
      payload = undefined; // nothing of ours to clean up
    }
    if (payload) this.signIns.forget(payload.sessionId);
    if (payload) await this.endSession(payload);
    await this.options.sessionTokens?.forget({ req, userEntityRef: payload?.userEntityRef, email: payload?.email });
    this.refreshCookie.clear(req, req.get('origin'));
    if (payload?.kind === 'refresh-token') await this.revoke(payload.refreshToken);
  }

  /** `sessionDuration` and sign-out, checked before anything is served from the cookie. */
  private async assertSessionLive(payload: SessionPayload): Promise<void> {
    if (this.clock() >= this.durationEndsAt(payload)) {
      throw new SpectroCloudRefreshSessionError(
        'ERR_SESSION_DURATION_EXCEEDED',
        'This sign-in is older than the configured sessionDuration; sign in again',
      );
    }
    // A store outage propagates (503 ERR_TOKEN_STORE_UNAVAILABLE): never serve a possibly revoked session.
    if (await this.revokedSessions.isRevoked(payload.sessionId)) {
      throw new SpectroCloudRefreshSessionError('ERR_SESSION_REVOKED', 'This session was signed out; sign in again');
    }
  }

  /** Records the sign-out for every replica, kept as long as the session could otherwise live. */
  private async endSession(payload: SessionPayload): Promise<void> {
    const idTokenEnd = payload.kind === 'id-token' ? expiryOf(payload.idToken) : undefined;
    const until = Math.min(
      this.durationEndsAt(payload),
      idTokenEnd === undefined ? this.clock() + REVOCATION_KEPT_WITHOUT_END_MS : idTokenEnd + this.options.config.clockTolerance * 1000,
    );
    if (until <= this.clock()) return; // the session has ended anyway
    try {
      await this.revokedSessions.revoke(payload.sessionId, until);
    } catch (error) {
      // Not a store outage (those are retried): sign-out goes on, the operator is told.
      this.options.logger.warn(`Could not record the sign-out for other replicas (${SpectroCloudAuthError.from(error).code})`);
    }
  }

  private durationEndsAt(session: { signedInAt: number }): number {
    const { sessionDurationMs } = this.options.config;
    return sessionDurationMs === undefined ? Number.POSITIVE_INFINITY : session.signedInAt + sessionDurationMs;
  }

  /** Ends a real refresh token at the issuer; sign-out goes on if the issuer cannot be reached. */
  private async revoke(refreshToken: string) {
    const { revocationUrl } = await this.endpoints.resolve();
    if (!revocationUrl) return;
    const outcome = await revokeRefreshToken(revocationUrl, refreshToken, this.options.config, this.http);
    if (!outcome.ok) this.options.logger.warn(`Could not revoke the refresh token at sign-out (${outcome.reason})`);
  }

  /** Profile, provider info and Backstage identity, all from verified claims. */
  private async respond(
    claims: IdTokenClaims,
    idToken: string,
    accessToken: string,
    params: Record<string, unknown>,
    /** epoch ms when `sessionDuration` ends this sign-in */
    sessionEndsAt: number,
    /** the session: its resolution is reused by its refreshes for a short while (SignInCache) */
    session: { sessionId: string },
  ): Promise<OAuthResponse> {
    const { resolverContext, authHandler, signInResolver } = this.options;
    // The app refreshes before expiresInSeconds runs out: never later than the session may live.
    const now = this.clock();
    const secondsLeft = Math.max(0, Math.min(claims.exp - Math.floor(now / 1000), Math.floor((sessionEndsAt - now) / 1000)));
    const expiresIn = typeof params.expires_in === 'number' ? Math.min(params.expires_in, secondsLeft) : secondsLeft;
    const scope = typeof params.scope === 'string' ? params.scope : this.options.config.scope;
    const result: SpectroCloudAuthResult = {
      fullProfile: passportProfileFromClaims(claims),
      params: { id_token: idToken, scope, token_type: 'Bearer', expires_in: expiresIn },
      accessToken,
      claims,
    };
    const { profile, backstageIdentity } = await this.signIns.resolve({ sessionId: session.sessionId, idToken, accessToken }, async () => {
      const { profile } = authHandler ? await authHandler(result, resolverContext) : { profile: profileFromClaims(claims) };
      return { profile, backstageIdentity: signInResolver ? await signInResolver({ profile, result }, resolverContext) : undefined };
    });
    const endSession = await this.endSessionUrlFor(idToken);
    return {
      profile,
      providerInfo: { accessToken, idToken, scope, expiresInSeconds: expiresIn, ...(endSession ? { endSessionUrl: endSession } : {}) },
      ...(backstageIdentity ? { backstageIdentity } : {}),
    };
  }

  /** Only with `signOutOfSpectroCloud: true` and an issuer that advertises `end_session_endpoint`. */
  private async endSessionUrlFor(idToken: string): Promise<string | undefined> {
    if (!this.options.config.signOutOfSpectroCloud) return undefined;
    const { endSessionUrl: endpoint } = await this.endpoints.resolve();
    if (!endpoint) {
      if (!this.warnedNoEndSession) {
        this.warnedNoEndSession = true;
        this.options.logger.warn(
          `signOutOfSpectroCloud is on for provider ${this.options.providerId}, but SpectroCloud's discovery document names no end_session_endpoint; sign-out ends only the Backstage session`,
        );
      }
      return undefined;
    }
    return endSessionUrl(endpoint, { idToken, clientId: this.options.config.clientId, postLogoutRedirectUri: this.options.appUrl });
  }

  /** A stored ID token is served again only after full verification; expiry ends the session. */
  private async reverify(idToken: string): Promise<IdTokenClaims> {
    try {
      return await this.verifier.verify(idToken);
    } catch (error) {
      if ((error as SpectroCloudAuthError).code === 'ERR_ID_TOKEN_EXPIRED') {
        throw new SpectroCloudRefreshSessionError('ERR_SESSION_EXPIRED', 'Your SpectroCloud session has expired; sign in again', { cause: error });
      }
      // SpectroCloud or its keys are out of reach for now: the session itself may be fine.
      if (error instanceof SpectroCloudNetworkError) throw error;
      throw new SpectroCloudRefreshSessionError('ERR_SESSION_UNVERIFIABLE', 'The SpectroCloud session could not be verified; sign in again', { cause: error });
    }
  }

  private assertRedirectAllowed(state: Parameters<typeof assertRedirectAllowed>[0]) {
    assertRedirectAllowed(state, this.options.appUrl, this.options.isOriginAllowed);
  }
}

/**
 * Each request to SpectroCloud ends at its own deadline (OutboundClient) with
 * an error naming the endpoint; a code exchange makes at most two (token,
 * JWKS), so the whole run's timer is only a backstop behind them.
 */
function strategyBackstopMs(requestTimeoutMs: number): number {
  return 2 * requestTimeoutMs + 1_000;
}

function mergeScopes(configured: string, requested: string | undefined): string {
  return [...new Set([...configured.split(' '), ...(requested ?? '').split(/[\s,]+/)].filter(Boolean))].join(' ');
}

/**
 * How long a sign-out is remembered for a session that has no end of its
 * own (a real refresh token and no `sessionDuration`); its refresh token is
 * also revoked at the issuer where the issuer allows it.
 */
const REVOCATION_KEPT_WITHOUT_END_MS = 90 * 24 * 60 * 60 * 1000;

/** `exp` in epoch ms of an ID token this backend verified and sealed itself. */
function expiryOf(idToken: string): number | undefined {
  const decoded = jwt.decode(idToken);
  return typeof decoded === 'object' && typeof decoded?.exp === 'number' ? decoded.exp * 1000 : undefined;
}

/** The sub of the Backstage token we just issued, e.g. `user:default/alice`. */
function userEntityRefOf(identity: BackstageSignInResult | undefined): string | undefined {
  if (!identity?.token) return undefined;
  const decoded = jwt.decode(identity.token);
  return typeof decoded === 'object' && typeof decoded?.sub === 'string' ? decoded.sub : undefined;
}
