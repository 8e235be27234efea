import type { Request } from 'express';
import OAuth2Strategy from 'passport-oauth2';
import { SpectroCloudIdpError } from '../errors';
import { IdTokenVerifier, type IdTokenClaims } from '../oidc/IdTokenVerifier';
import { deriveEndpoints } from '../oidc/deriveEndpoints';
import { BasicAuthOAuth2 } from './BasicAuthOAuth2';
import { OutboundClient } from '../http/OutboundClient';
import { DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT_MS } from '../config/readEnvironmentConfig';
import { OutboundOAuth2 } from './OutboundOAuth2';
import { sanitizeIdpText } from './sanitizeIdpText';
import { translateStrategyError } from './translateStrategyError';

export interface SpectroCloudStrategyOptions {
  clientID: string;
  clientSecret: string;
  authorizationURL: string;
  tokenURL: string;
  callbackURL: string;
  scope: string;
  prompt?: 'login' | 'none' | 'consent' | 'select_account';
  tokenEndpointAuthMethod?: 'client_secret_post' | 'client_secret_basic';
  /**
   * Expected `iss` of ID tokens. Default: the authorization URL without its
   * last path segment (SpectroCloud's tenant issuer).
   */
  issuer?: string;
  /** Where the signing keys are published. Default: `<issuer>/keys`. */
  jwksUrl?: string;
  /** Allowed ID-token algorithms (asymmetric only). Default `['RS256']`. */
  algorithms?: string[];
  /** Seconds of clock skew tolerated in `exp`/`iat`/`nbf`. Default 30. */
  clockTolerance?: number;
  /** Milliseconds allowed for each request to SpectroCloud (token endpoint, JWKS). Default 10000. */
  timeout?: number;
  /** `max_age` sent with every sign-in (seconds): the ID token's `auth_time` is checked against it. */
  maxAge?: number;
  /** `acr_values` sent with every sign-in: the ID token's `acr` must be one of them. */
  acrValues?: string[];
  /** @internal Every token request goes through it (deadline, size limit, proxy, CA). Default: `timeout` deadline, 1 MiB answers, proxy from the environment. */
  http?: OutboundClient;
  /** @internal The provider passes its own verifier (endpoints from discovery). */
  verifier?: IdTokenVerifier;
  /**
   * The nonce this browser was given when its sign-in started (you passed it
   * to `authenticate()` as `nonce` and kept it in the browser's session);
   * every ID token must carry it.
   */
  expectedNonce(req: Request): string;
}

/** What a completed code exchange yields, after the ID token has been verified. */
export interface SpectroCloudTokenSet {
  accessToken: string;
  /** SpectroCloud's HS256 Palette token, or a real OAuth refresh token from a standard server */
  refreshToken?: string;
  idToken: string;
  claims: IdTokenClaims;
  params: { id_token: string; scope?: string; token_type?: string; expires_in?: number; [key: string]: unknown };
}

/** A token response as SpectroCloud sent it, before any check (the sign-in service's strategy hands it back). */
export type TokenResponse = Omit<SpectroCloudTokenSet, 'claims' | 'idToken'>;

export type SpectroCloudVerifyCallback = (
  req: Request,
  tokens: SpectroCloudTokenSet,
  done: (error: unknown, user?: unknown, info?: unknown) => void,
) => void;

/** Per-request values passed to `authenticate()` at the start of a sign-in. */
export interface SpectroCloudAuthorizeOptions {
  state: string;
  scope?: string;
  nonce: string;
  codeChallenge: string;
  prompt?: 'login' | 'none' | 'consent' | 'select_account';
  /** Further authorization parameters (configured `startUrlSearchParams`, `login_hint`); never the ones set here. */
  extraParams?: Record<string, string>;
}

/** Per-request values passed to `authenticate()` on the callback. */
export interface SpectroCloudCallbackOptions {
  codeVerifier: string;
}

/**
 * passport-oauth2 for SpectroCloud Palette's OIDC endpoints. It adds the OIDC
 * nonce, S256 PKCE and `prompt` through the documented hooks, authenticates
 * to the token endpoint with the client secret (post or basic), and hands
 * the verify callback only ID tokens that passed {@link IdTokenVerifier}.
 */
export class SpectroCloudStrategy extends OAuth2Strategy {
  private readonly prompt?: SpectroCloudStrategyOptions['prompt'];
  private readonly options: SpectroCloudStrategyOptions;
  private readonly verify?: SpectroCloudVerifyCallback;
  private readonly http: OutboundClient;
  private verifier?: IdTokenVerifier;

  constructor(options: SpectroCloudStrategyOptions, verify?: SpectroCloudVerifyCallback) {
    const http = options.http ?? new OutboundClient({ timeoutMs: options.timeout ?? DEFAULT_TIMEOUT_MS, maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES });
    // passport-oauth2 takes the verify callback before `this` exists; it calls `tokenResponse` on the instance.
    const self: { strategy?: SpectroCloudStrategy } = {};
    super(
      {
        clientID: options.clientID,
        clientSecret: options.clientSecret,
        authorizationURL: options.authorizationURL,
        tokenURL: options.tokenURL,
        callbackURL: options.callbackURL,
        scope: options.scope,
        scopeSeparator: ' ',
        skipUserProfile: true,
        passReqToCallback: true,
      },
      (
        req: Request,
        accessToken: string,
        refreshToken: string,
        params: SpectroCloudTokenSet['params'],
        _profile: unknown,
        verified: OAuth2Strategy.VerifyCallback,
      ) => {
        const done = verified as (error: unknown, user?: unknown, info?: unknown) => void;
        self.strategy!.tokenResponse(req, { accessToken, refreshToken: refreshToken || undefined, params }, done);
      },
    );
    self.strategy = this;
    this.name = 'spectrocloud';
    this.options = options;
    this.verify = verify;
    this.http = http;
    this.prompt = options.prompt;
    this._oauth2 =
      options.tokenEndpointAuthMethod === 'client_secret_basic'
        ? new BasicAuthOAuth2(http, options.clientID, options.clientSecret, options.authorizationURL, options.tokenURL)
        : new OutboundOAuth2(http, options.clientID, options.clientSecret, options.authorizationURL, options.tokenURL);
  }

  /**
   * The token response of a code exchange: its ID token verified (nonce
   * included) before the verify callback sees it.
   *
   * @internal The sign-in service's strategy (CodeExchangeStrategy) hands the
   * response back instead, and the service verifies it in view (`verifyIdToken`).
   */
  protected tokenResponse(req: Request, response: TokenResponse, done: (error: unknown, user?: unknown) => void): void {
    const { options } = this;
    this.verifier ??= options.verifier ?? verifierFor(options, this.http);
    this.verifier.verify(response.params.id_token, { nonce: options.expectedNonce(req), maxAge: options.maxAge, acrValues: options.acrValues }).then(
      claims => {
        const tokens: SpectroCloudTokenSet = { ...response, idToken: response.params.id_token, claims };
        if (this.verify) this.verify(req, tokens, done);
        else done(null, tokens);
      },
      error => done(error),
    );
  }

  override authorizationParams(options: Partial<SpectroCloudAuthorizeOptions>): object {
    const prompt = options.prompt ?? this.prompt;
    return {
      ...options.extraParams,
      nonce: options.nonce,
      code_challenge: options.codeChallenge,
      code_challenge_method: 'S256',
      ...(prompt ? { prompt } : {}),
    };
  }

  override tokenParams(options: Partial<SpectroCloudCallbackOptions>): object {
    return options.codeVerifier ? { code_verifier: options.codeVerifier } : {};
  }

  override parseErrorResponse(body: string, status: number): Error | null {
    let json: { error?: unknown; error_description?: unknown };
    try {
      json = JSON.parse(body);
    } catch {
      return null;
    }
    if (typeof json?.error !== 'string') return null;
    const description = sanitizeIdpText(json.error_description);
    // A 5xx with an OAuth body (server_error, temporarily_unavailable) is SpectroCloud failing, not refusing us.
    return new SpectroCloudIdpError(
      status >= 500 ? 'ERR_TOKEN_ENDPOINT_STATUS' : 'ERR_TOKEN_REJECTED',
      `SpectroCloud's token endpoint refused the request (HTTP ${status}, ${sanitizeIdpText(json.error)}${description ? `: ${description}` : ''})`,
      { error: json.error, errorDescription: description, status },
    );
  }

  /** The `refresh_token` grant, for servers that issue real refresh tokens. The caller verifies any new ID token. */
  refreshTokens(refreshToken: string, scope?: string): Promise<Omit<SpectroCloudTokenSet, 'claims' | 'idToken'>> {
    return new Promise((resolve, reject) => {
      this._oauth2.getOAuthAccessToken(
        refreshToken,
        { grant_type: 'refresh_token', ...(scope ? { scope } : {}) },
        (error, accessToken, newRefreshToken, params) => {
          if (error) {
            reject(translateStrategyError(error, (body, status) => this.parseErrorResponse(body, status)));
            return;
          }
          resolve({ accessToken: accessToken ?? '', refreshToken: newRefreshToken || refreshToken, params: params as SpectroCloudTokenSet['params'] });
        },
      );
    });
  }
}

/** For standalone use: endpoints from the options, else derived from the authorization URL. */
function verifierFor(options: SpectroCloudStrategyOptions, http: OutboundClient): IdTokenVerifier {
  const derived = deriveEndpoints(options.authorizationURL);
  const issuer = options.issuer ?? derived.issuer;
  const jwksUrl = options.jwksUrl ?? (options.issuer ? `${issuer}/keys` : derived.jwksUrl);
  return new IdTokenVerifier({
    clientId: options.clientID,
    algorithms: options.algorithms ?? ['RS256'],
    clockTolerance: options.clockTolerance ?? 30,
    http,
    endpoints: async () => ({ issuer, jwksUrl }),
    resolvedEndpoints: () => ({ issuer, jwksUrl }),
  });
}
