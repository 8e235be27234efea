import type { Request } from 'express';
import { SpectroCloudAuthError, SpectroCloudNetworkError, SpectroCloudRefreshSessionError, SpectroCloudRequestError } from '../errors';
import { findPaletteToken } from '../paletteTokens/capture/capture';
import { checkAuthorizationResponseIssuer } from '../oidc/checkAuthorizationResponseIssuer';
import { checkRefreshedIdToken } from '../oidc/checkRefreshedIdToken';
import { endSessionUrl } from '../oidc/endSessionUrl';
import type { IdTokenClaims } from '../oidc/IdTokenVerifier';
import { revokeRefreshToken } from '../oidc/revokeRefreshToken';
import { addUserInfoClaims } from '../oidc/userInfoClaims';
import { readEmail, type SpectroCloudAuthResult } from '../profile';
import { newSessionId } from '../refreshSession/RevokedSessions';
import type { SessionPayload } from '../refreshSession/SealedSession';
import type { RefreshGrantResult } from '../refreshShortcuts/ConcurrentRefreshGrants';
import { lastGrant, mayReuseGrant, reusedGrantParams, withRememberedUserInfo } from '../refreshShortcuts/grantReuse';
import { assertRedirectAllowed, type RedirectState } from './assertRedirectAllowed';
import { authResultOf, sessionEndsInSeconds, type VerifiedTokens } from './authResult';
import type { SignInServiceDeps } from './ports';
import { mergeScopes } from './mergeScopes';
import { readLoginHint } from './readLoginHint';
import type { CompletedSignIn, RefreshedSignIn, StartInput } from './results';
import { durationEndsAt, refreshTokenEnd, revocationKeptUntil, sessionEndOf } from './sessionLifetime';

/**
 * The one sign-in service both backends call (legacy OAuthHandlers and the
 * new system's authenticator): start, complete, refresh and end a sign-in,
 * and what the answer to each needs. Every security decision is a named call
 * in the function that relies on it.
 */
export class SignInService {
  readonly config: SignInServiceDeps['config'];
  readonly providerId: string;

  constructor(private readonly deps: SignInServiceDeps) {
    this.config = deps.config;
    this.providerId = deps.providerId;
  }

  /** `/start`: the authorization URL, with a nonce and a PKCE challenge bound to this browser's nonce cookie. */
  async start(input: StartInput): Promise<{ url: string; status: number }> {
    const { config, binding, endpoints, oauth2 } = this.deps;
    assertRedirectAllowed(input.state, this.deps.appUrl, input.isOriginAllowed);
    const loginHint = readLoginHint(input.req.query as Record<string, unknown>);
    const bound = binding.forStart(input.cookieNonce, input.req);
    const { tokenUrl } = await endpoints.resolve();
    return oauth2.authorizationUrl(input.req, tokenUrl, {
      state: input.encodedState,
      scope: mergeScopes(config.scope, input.requestedScope),
      nonce: bound.nonce,
      codeChallenge: bound.codeChallenge,
      extraParams: { ...config.startUrlSearchParams, ...(loginHint ? { login_hint: loginHint } : {}) },
    });
  }

  /**
   * The callback: redirect target and browser binding checked, the issuer of
   * the response checked, the code exchanged with this browser's PKCE
   * verifier, and the ID token verified (nonce included) before anything reads it.
   */
  async complete(req: Request, readState: (raw: string) => RedirectState, isOriginAllowed?: (origin: string) => boolean): Promise<CompletedSignIn> {
    const { endpoints, oauth2, clock } = this.deps;
    const query = req.query as Record<string, unknown>;
    const code = query.code ?? (req.body as Record<string, unknown> | undefined)?.code;
    if (!code && !query.error) {
      throw new SpectroCloudRequestError('ERR_MISSING_CODE', 'The sign-in callback carried no authorization code; start the sign-in again');
    }
    assertRedirectAllowed(readState(String(query.state ?? '')), this.deps.appUrl, isOriginAllowed);
    const bound = this.checkStateBinding(req);
    const resolved = await endpoints.resolve();
    checkAuthorizationResponseIssuer(query, resolved);
    const response = await oauth2.exchangeCode(req, resolved.tokenUrl, bound.codeVerifier);
    const verified = await this.verifyIdToken(response.params.id_token, { nonce: bound.nonce });
    const idToken = response.params.id_token;
    const claims = await addUserInfoClaims(verified, resolved.userinfoUrl, response.accessToken, this.deps.http);
    const paletteToken = findPaletteToken(response.refreshToken, code);
    const realRefreshToken = response.refreshToken && response.refreshToken !== paletteToken ? response.refreshToken : undefined;
    const signedIn = { sessionId: newSessionId(), signedInAt: clock() };
    const email = readEmail(claims);
    const session = (userEntityRef: string | undefined): SessionPayload => {
      const identity = { ...signedIn, idToken, accessToken: response.accessToken, userEntityRef, email };
      if (!realRefreshToken) return { kind: 'id-token', ...identity };
      const grant = lastGrant({ now: signedIn.signedInAt, verified, claims, expiresIn: response.params.expires_in });
      const refreshTokenEndsAt = refreshTokenEnd(signedIn.signedInAt, response.params);
      return { kind: 'refresh-token', refreshToken: realRefreshToken, ...identity, lastGrant: grant, refreshTokenEndsAt };
    };
    return {
      claims,
      idToken,
      accessToken: response.accessToken,
      params: response.params,
      email,
      sessionId: signedIn.sessionId,
      paletteToken,
      keepPaletteTokenUntil: Math.min(claims.exp * 1000, durationEndsAt(this, signedIn)),
      sessionEndsAt: sessionEndOf(this, session(undefined)),
      session,
    };
  }

  /** Once the Backstage identity is known: the Palette token kept for that user, the session sealed; returns the refresh cookie's first piece. */
  async keepSignIn(req: Request, done: CompletedSignIn, userEntityRef: string | undefined, origin: string | undefined): Promise<string> {
    const { paletteTokens } = this.deps;
    if (done.paletteToken && paletteTokens) {
      await paletteTokens.remember({ req, userEntityRef, email: done.email, paletteToken: done.paletteToken, expiresAt: done.keepPaletteTokenUntil });
    }
    return this.sealSession(req, done, userEntityRef, origin);
  }

  /** The session sealed into the refresh cookie (extra pieces written); returns the first piece for the backend's own cookie. */
  sealSession(req: Request, done: CompletedSignIn, userEntityRef: string | undefined, origin: string | undefined): string {
    return this.deps.cookie.write(req, done.session(userEntityRef), origin);
  }

  /**
   * `/refresh` from the sealed session: refused past `sessionDuration` or
   * after sign-out (on any replica). SpectroCloud has no refresh grant: its
   * verified ID token is served again, re-verified, until it expires. A
   * standard issuer's refresh token is used, and the new ID token must
   * continue the same sign-in.
   */
  async refresh(req: Request, firstPiece: string | undefined, scope: string | undefined): Promise<RefreshedSignIn> {
    const { cookie, clock, config } = this.deps;
    const payload = cookie.read(req, firstPiece);
    const { sessionId } = payload;
    await this.refuseEndedSession(payload);
    const sessionEndsAt = sessionEndOf(this, payload);
    if (payload.kind === 'id-token') {
      const claims = await this.verifySessionIdToken(payload.idToken);
      return { sessionId, claims, idToken: payload.idToken, accessToken: payload.accessToken ?? '', params: {}, sessionEndsAt };
    }
    // A refresh soon after the last grant serves its still valid tokens again (refreshGrantInterval).
    if (mayReuseGrant(payload.lastGrant, clock(), config.refreshGrantInterval * 1000)) {
      const claims = withRememberedUserInfo(await this.verifySessionIdToken(payload.idToken), payload.lastGrant);
      const params = reusedGrantParams(payload.lastGrant, clock());
      return { sessionId, claims, idToken: payload.idToken, accessToken: payload.accessToken ?? '', params, sessionEndsAt };
    }
    // One grant per presented refresh token, however many tabs or replicas refresh at once (rotation with reuse detection).
    let ours: IdTokenClaims | undefined;
    const context = `${this.providerId}:${this.deps.environment}:${sessionId}`;
    const { result } = await this.deps.refreshGrants.run(payload.refreshToken, context, async () => {
      const granted = await this.grantRefresh(payload, scope);
      ours = granted.verified;
      return granted.result;
    });
    // The grant, or the wait for another's, may have outlasted a sign-out: sign-out ends everything at once.
    await this.refuseEndedSession(payload);
    // Verified once per grant: by the granter inside grantRefresh; a result shared by another refresh is verified here.
    const verified = ours ?? (await this.verifySessionIdToken(result.idToken));
    checkRefreshedIdToken(payload.idToken, verified);
    const { refreshToken, idToken, accessToken, lastGrant: grant, refreshTokenEndsAt } = result;
    const next: SessionPayload = { ...payload, refreshToken, idToken, accessToken, lastGrant: grant, refreshTokenEndsAt };
    return {
      sessionId,
      claims: withRememberedUserInfo(verified, result.lastGrant),
      idToken,
      accessToken,
      // expires_in from the grant's own lifetimes, whoever made it (the ID token's or the access token's end, the earlier)
      params: { ...result.params, ...reusedGrantParams(result.lastGrant, clock()) },
      sessionEndsAt: sessionEndOf(this, next),
      firstPiece: cookie.write(req, next, req.get('origin')),
    };
  }

  /**
   * `/logout`: the session recorded as revoked for every replica, a real
   * refresh token revoked at the issuer (best effort), the Palette token
   * dropped, the cookie's extra pieces cleared. A cookie that does not open
   * has nothing of ours to end.
   */
  async signOut(req: Request, firstPiece: string | undefined): Promise<{ sessionId?: string; idToken?: string }> {
    const { cookie, paletteTokens } = this.deps;
    let payload: SessionPayload | undefined;
    try {
      payload = cookie.read(req, firstPiece);
    } catch {
      payload = undefined; // nothing of ours to clean up
    }
    if (payload) {
      await this.recordSignOut(payload);
      await this.revokeAtIssuer(payload);
    }
    await paletteTokens?.forget({ req, userEntityRef: payload?.userEntityRef, email: payload?.email });
    cookie.clear(req, req.get('origin'));
    return { sessionId: payload?.sessionId, idToken: payload?.idToken };
  }

  /** The result sign-in resolvers and profile handlers see, from verified claims only. */
  authResult(tokens: VerifiedTokens): SpectroCloudAuthResult {
    return authResultOf(tokens, { now: this.deps.clock(), configuredScope: this.config.scope });
  }

  /**
   * What both backends add to `providerInfo` beside Backstage's fields:
   * `sessionEndsInSeconds` (the app warns ahead of the session's end; omitted
   * when the session renews without an end) and `endSessionUrl` (SpectroCloud's
   * sign-out, with `signOutOfSpectroCloud`).
   */
  async providerInfoExtras(idToken: string, sessionEndsAt: number | undefined): Promise<{ sessionEndsInSeconds?: number; endSessionUrl?: string }> {
    const endsIn = sessionEndsAt === undefined ? undefined : sessionEndsInSeconds(sessionEndsAt, this.deps.clock());
    const endSession = await this.endSessionUrl(idToken);
    return { ...(endsIn === undefined ? {} : { sessionEndsInSeconds: endsIn }), ...(endSession ? { endSessionUrl: endSession } : {}) };
  }

  /** SpectroCloud's sign-out URL: only with `signOutOfSpectroCloud: true` and an issuer that advertises `end_session_endpoint`. */
  async endSessionUrl(idToken: string): Promise<string | undefined> {
    if (!this.config.signOutOfSpectroCloud) return undefined;
    const { endSessionUrl: endpoint } = await this.deps.endpoints.resolve();
    if (!endpoint) {
      this.deps.warnOnce(
        'no-end-session',
        `signOutOfSpectroCloud is on for provider ${this.providerId}, but SpectroCloud's discovery document names no end_session_endpoint; sign-out ends only the Backstage session`,
      );
      return undefined;
    }
    return endSessionUrl(endpoint, { idToken, clientId: this.config.clientId, postLogoutRedirectUri: this.deps.appUrl });
  }

  /** epoch ms by the service's clock */
  now(): number {
    return this.deps.clock();
  }

  /** Counts and logs a sign-in (never a token or an email). */
  signedIn(): void {
    this.deps.events?.signIn(this.providerId);
    this.deps.logger.info(`SpectroCloud sign-in succeeded (provider ${this.providerId}, env ${this.deps.environment})`);
  }

  /** Counts and logs a failed sign-in by its code (never a token or an email); returns the error to throw. */
  signInFailed(error: unknown): SpectroCloudAuthError {
    const failure = SpectroCloudAuthError.from(error);
    this.deps.events?.signInFailure(failure.code, this.providerId);
    this.deps.logger.warn(`SpectroCloud sign-in failed: ${failure.code}: ${failure.message}`);
    return failure;
  }

  /**
   * The browser binding: the callback must come from the browser that
   * started the sign-in (its nonce cookie, over https also the `__Host-`
   * cookie); the nonce and PKCE verifier are derived from that cookie.
   * (Backstage's adapter compared the state's nonce with the cookie before.)
   */
  private checkStateBinding(req: Request) {
    return this.deps.binding.forCallback(req);
  }

  /** The ID token of a code exchange, verified before anything reads it: signature, iss, aud, exp, the browser's nonce, max_age, acr. */
  private verifyIdToken(idToken: unknown, expected: { nonce: string }): Promise<IdTokenClaims> {
    const acrValues = this.config.startUrlSearchParams.acr_values?.split(' ').filter(Boolean); // in order of preference (OIDC Core 3.1.2.1)
    return this.deps.verifier.verify(idToken, { nonce: expected.nonce, maxAge: this.config.maxAge, acrValues });
  }

  /** A stored or refreshed ID token is served only after full verification; its expiry ends the session. */
  private async verifySessionIdToken(idToken: string): Promise<IdTokenClaims> {
    try {
      return await this.deps.verifier.verify(idToken);
    } catch (error) {
      if ((error as SpectroCloudAuthError).code === 'ERR_ID_TOKEN_EXPIRED') {
        throw new SpectroCloudRefreshSessionError('ERR_SESSION_EXPIRED', 'Your SpectroCloud session has expired; sign in again', { cause: error });
      }
      // SpectroCloud or its keys are out of reach for now: the session itself may be fine.
      if (error instanceof SpectroCloudNetworkError) throw error;
      throw new SpectroCloudRefreshSessionError('ERR_SESSION_UNVERIFIABLE', 'The SpectroCloud session could not be verified; sign in again', { cause: error });
    }
  }

  /** `sessionDuration` and sign-out, checked before anything is served from the cookie. */
  private async refuseEndedSession(payload: SessionPayload): Promise<void> {
    if (this.deps.clock() >= durationEndsAt(this, payload)) {
      throw new SpectroCloudRefreshSessionError('ERR_SESSION_DURATION_EXCEEDED', 'This sign-in is older than the configured sessionDuration; sign in again');
    }
    // A store outage propagates (503 ERR_TOKEN_STORE_UNAVAILABLE): never serve a possibly revoked session.
    if (await this.deps.revocations.isRevoked(payload.sessionId)) {
      throw new SpectroCloudRefreshSessionError('ERR_SESSION_REVOKED', 'This session was signed out; sign in again');
    }
  }

  /** The refresh_token grant at the IdP: the new ID token verified (once), continuing the sign-in, with userinfo's claims. */
  private async grantRefresh(payload: SessionPayload & { kind: 'refresh-token' }, scope: string | undefined): Promise<{ result: RefreshGrantResult; verified: IdTokenClaims }> {
    const { endpoints, oauth2, clock } = this.deps;
    const { tokenUrl, userinfoUrl } = await endpoints.resolve();
    const refreshed = await oauth2.refreshGrant(tokenUrl, payload.refreshToken, scope);
    const idToken = typeof refreshed.params.id_token === 'string' ? refreshed.params.id_token : payload.idToken;
    const verified = await this.verifySessionIdToken(idToken);
    // Before the result is shared with other refreshes: never share a token that does not continue this sign-in.
    checkRefreshedIdToken(payload.idToken, verified);
    const claims = await addUserInfoClaims(verified, userinfoUrl, refreshed.accessToken, this.deps.http);
    const { scope: granted, token_type: tokenType, expires_in: expiresIn } = refreshed.params as Record<string, unknown>;
    const result: RefreshGrantResult = {
      refreshToken: refreshed.refreshToken ?? payload.refreshToken,
      idToken,
      accessToken: refreshed.accessToken,
      // Only what the answer needs: the shared copy must hold no token beyond the three above.
      params: { ...(typeof granted === 'string' ? { scope: granted } : {}), ...(typeof tokenType === 'string' ? { token_type: tokenType } : {}) },
      lastGrant: lastGrant({ now: clock(), verified, claims, expiresIn }),
      // A rotated refresh token brings its own lifetime; a kept one keeps the old.
      refreshTokenEndsAt: refreshed.refreshToken ? refreshTokenEnd(clock(), refreshed.params) : payload.refreshTokenEndsAt,
    };
    return { result, verified };
  }

  /** Records the sign-out for every replica, kept as long as the session could otherwise live. */
  private async recordSignOut(payload: SessionPayload): Promise<void> {
    const now = this.deps.clock();
    const until = revocationKeptUntil(this, payload, now);
    if (until <= now) return; // the session has ended anyway
    try {
      await this.deps.revocations.revoke(payload.sessionId, until);
    } catch (error) {
      // Not a store outage (those are retried): sign-out goes on, the operator is told.
      this.deps.logger.warn(`Could not record the sign-out for other replicas (${SpectroCloudAuthError.from(error).code})`);
    }
  }

  /** RFC 7009: a real refresh token is revoked at the issuer; sign-out goes on if the issuer cannot be reached. */
  private async revokeAtIssuer(payload: SessionPayload): Promise<void> {
    if (payload.kind !== 'refresh-token') return;
    const { revocationUrl } = await this.deps.endpoints.resolve();
    if (!revocationUrl) return;
    const outcome = await revokeRefreshToken(revocationUrl, payload.refreshToken, this.config, this.deps.http);
    if (!outcome.ok) this.deps.logger.warn(`Could not revoke the refresh token at sign-out (${outcome.reason})`);
  }
}
