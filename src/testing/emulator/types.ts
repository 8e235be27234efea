import type { KeyObject } from 'node:crypto';
import type { Algorithm } from 'jsonwebtoken';

/** A person who can sign in at the emulator's login page. */
export interface EmulatorUser {
  /** Becomes the `sub` claim. Default: a stable id derived from the email. */
  id?: string;
  email: string;
  given_name?: string;
  family_name?: string;
  /** Default: `given_name family_name`, or the email when both are missing. */
  name?: string;
  groups?: string[];
  picture?: string;
}

/** An OAuth client registered at the emulated tenant. */
export interface EmulatorClient {
  clientId: string;
  clientSecret: string;
  /** Compared exactly, like Palette does. */
  redirectUris: string[];
  /**
   * Where the end-session endpoint may send the browser after sign-out
   * (`post_logout_redirect_uri`), compared exactly. Default: none, so every
   * `post_logout_redirect_uri` is refused until it is registered here.
   */
  postLogoutRedirectUris?: string[];
}

/** PEM texts for serving over HTTPS. */
export interface EmulatorTls {
  key: string;
  cert: string;
}

export interface SpectroCloudEmulatorOptions {
  /** Default '127.0.0.1'. */
  host?: string;
  /** Default 0: a free port. */
  port?: number;
  /** Default 'tenant-local'. */
  tenantId?: string;
  clients: EmulatorClient[];
  users?: EmulatorUser[];
  /** YAML or JSON file shaped `{ users: [...] }`; merged with `users`. */
  usersFile?: string;
  /** Lifetime of ID token and access token (and of the Palette token unless `paletteTokenTtlSeconds` is set). Default 3600. */
  idTokenTtlSeconds?: number;
  /**
   * Lifetime of the Palette token (Palette's own: 900, 15 minutes), renewed through
   * `GET /v1/auth/refresh/{token}`. Default `idTokenTtlSeconds`.
   */
  paletteTokenTtlSeconds?: number;
  /**
   * The released name of `paletteTokenTtlSeconds`, still read; giving both with different values is an error.
   * @deprecated Use `paletteTokenTtlSeconds`.
   */
  sessionTokenTtlSeconds?: number;
  /** Hand out the HS256 Palette token as the authorization code, as some tenants do. */
  paletteTokenAsCode?: boolean;
  /**
   * The released name of `paletteTokenAsCode`, still read; giving both with different values is an error.
   * @deprecated Use `paletteTokenAsCode`.
   */
  sessionTokenAsCode?: boolean;
  /** Default true; false answers 404 at the discovery document. */
  discovery?: boolean;
  /** Refuse authorization requests without a PKCE S256 challenge. */
  requirePkce?: boolean;
  /** With `login_hint=<email>`, approve that user without showing a page. */
  autoApprove?: boolean;
  /**
   * RFC 9207: every authorization response (success or error) carries `iss`,
   * and discovery says `authorization_response_iss_parameter_supported: true`.
   * Default false, as Palette's tenants do not.
   */
  authorizationResponseIss?: boolean;
  /**
   * Hand out opaque OAuth refresh tokens and honour the `refresh_token` grant,
   * as a standard OIDC server does. Default false: like Palette, the
   * `refresh_token` is its HS256 Palette token and the grant is refused.
   */
  refreshTokenGrant?: boolean;
  /** Default: silent. Never receives tokens, codes or secrets. */
  logger?: { info(msg: string): void };
  /** Serve over HTTPS with this key and certificate; every URL then starts with https://. */
  tls?: EmulatorTls;
  /**
   * Milliseconds since the epoch, default `Date.now`. Inject one to move the
   * emulator's time (token `iat`/`exp`, `auth_time`, `max_age`, code and session
   * lifetimes) without waiting.
   */
  clock?: () => number;
}

/** How `signIdToken` (and the `idToken` fault) signs; every field is optional. */
export interface SignOptions {
  /** Default 'RS256'. 'none' produces an unsigned token. */
  alg?: Algorithm;
  /** Default: the emulator's current RSA private key. For HS* a public KeyObject is used as its PEM text. */
  key?: string | Buffer | KeyObject;
  /** Default: the current key's kid. `null` leaves the `kid` header out. */
  kid?: string | null;
  /** Extra header fields, merged last (they may even override `alg`). */
  header?: Record<string, unknown>;
}

/** What an `idToken` fault receives to build its replacement token. */
export interface IdTokenFaultContext {
  /** The claims the emulator would have signed. */
  claims: Record<string, unknown>;
  /** The grant the token response answers (`refresh_token` only with the `refreshTokenGrant` option). */
  grantType: 'authorization_code' | 'refresh_token';
  sign(claims: Record<string, unknown>, opts?: SignOptions): string;
}

/** Failures a test can switch on; an absent field means "behave normally". */
export interface EmulatorFaults {
  /** The authorization endpoint redirects with error=access_denied. */
  deny?: boolean;
  /** The token endpoint answers this HTTP status with an OAuth error body. */
  tokenStatus?: number;
  /** The token endpoint waits this long before answering. */
  tokenDelayMs?: number;
  /** The JWKS endpoint answers 503. */
  jwksDown?: boolean;
  /** The discovery document answers 503. */
  discoveryDown?: boolean;
  /** Replaces the id_token of every token response while set (JS API only). */
  idToken?: (ctx: IdTokenFaultContext) => string;
  /**
   * The token endpoint reads the request and never answers while set. Once
   * cleared, waiting requests are answered normally; a request whose client
   * hung up is dropped at once, so no socket stays open on the emulator side.
   */
  tokenStall?: boolean;
  /** The token endpoint's JSON answer is padded (member `emulator_padding`) to exactly this many bytes. */
  tokenBodyBytes?: number;
  /** ID tokens carry an extra claim `emulator_padding` of this many characters. */
  idTokenPadBytes?: number;
  /** The discovery document names this issuer instead of the real one. */
  discoveryIssuer?: string;
  /** Every HTTP `Date` header is shifted by this many seconds (negative: in the past). */
  dateSkewSeconds?: number;
  /** Authorization responses carry this `iss` instead of the issuer (an RFC 9207 mix-up), with or without the option. */
  authorizationResponseIss?: string;
  /** Authorization responses carry no `iss` even with the `authorizationResponseIss` option (discovery still promises it). */
  omitAuthorizationResponseIss?: boolean;
  /** The JWKS moves to `<issuer>/<jwksPath>`: discovery names it there and `<issuer>/keys` answers 404. */
  jwksPath?: string;
  /**
   * Palette's API (`/v1/users/info`) answers this many further calls 401 whatever the token
   * (say, a Palette whose API refused a token its renewal endpoint still takes); counts down to 0.
   */
  paletteApiRefusals?: number;
}

export interface EmulatorStats {
  jwksRequests: number;
  tokenRequests: number;
  discoveryRequests: number;
  authorizationRequests: number;
  endSessionRequests: number;
  /** token requests that authenticated with client_secret_basic (an Authorization header) */
  basicAuthTokenRequests: number;
  /** `GET /v1/auth/refresh/{token}` answered 200 (renewed) and 401 (refused). */
  paletteTokenRenewals: number;
  paletteTokenRenewalsRefused: number;
  /** The released name of `paletteTokenRenewals`, the same counter. @deprecated Use `paletteTokenRenewals`. */
  sessionTokenRenewals: number;
  /** The released name of `paletteTokenRenewalsRefused`, the same counter. @deprecated Use `paletteTokenRenewalsRefused`. */
  sessionTokenRenewalsRefused: number;
  /** Calls to the emulated Palette API (`/v1/users/info`), and the `ProjectUid` header of the last one. */
  paletteApiRequests: number;
  lastProjectUid?: string;
}

/** The parameters of an authorization request exactly as they arrived (string values only). */
export type AuthorizationRequestParams = Record<string, string | string[]>;

export interface Jwks {
  keys: Array<Record<string, unknown>>;
}

/** The emulator as an in-process object, without its HTTP server. */
export interface SpectroCloudEmulatorControls {
  /** http://HOST:PORT, or https:// with the `tls` option */
  readonly url: string;
  /** url + /v1/oidc/tenant/<tenantId> */
  readonly issuer: string;
  readonly authorizationUrl: string;
  readonly tokenUrl: string;
  readonly jwksUrl: string;
  readonly userinfoUrl: string;
  readonly discoveryUrl: string;
  /** RP-Initiated Logout: url + /v1/oidc/tenant/<tenantId>/logout */
  readonly endSessionUrl: string;
  /** Live counters; read them before and after to measure caching. */
  readonly stats: EmulatorStats;
  /** The JWKS document as currently published. */
  readonly jwks: Jwks;
  /** The kid new tokens are signed with. */
  readonly currentKid: string;
  /** Live fault settings; mutate directly or use setFaults/resetFaults. */
  faults: EmulatorFaults;
  setFaults(f: Partial<EmulatorFaults>): void;
  resetFaults(): void;
  /** New RSA key with a new kid; signs all new tokens. `keepOld: false` withdraws every older key. Returns the new kid. */
  rotateKeys(opts?: { keepOld?: boolean }): string;
  /** Removes an older key from the JWKS (tokens it signed stop verifying). The current key cannot be withdrawn. */
  withdrawKey(kid: string): void;
  /** The parameters of the last request that reached the authorization endpoint (a copy), or undefined before the first. */
  readonly lastAuthorizationRequest: AuthorizationRequestParams | undefined;
  /** Token requests held by the `tokenStall` fault right now. */
  readonly stalledTokenRequests: number;
  /** Signs exactly the given claims (nothing is added), RS256 with the current key by default. */
  signIdToken(claims: Record<string, unknown>, opts?: SignOptions): string;
  /** The claims the token endpoint would put in an ID token for this user; `overrides` win. */
  idTokenClaims(email: string, overrides?: Record<string, unknown>): Record<string, unknown>;
  /** Signs exactly the given claims with the emulator's private HMAC secret (HS256). */
  signPaletteToken(claims: Record<string, unknown>): string;
  /** The claims of a Palette token this emulator signed, or undefined when it did not (or it expired, or was signed out). */
  verifyPaletteToken(token: string): Record<string, unknown> | undefined;
  /** Signs the session out at Palette: this token, and every token renewed from it, is refused from now on. */
  signOutPaletteToken(token: string): void;
  /** The released name of `signPaletteToken`. @deprecated Use `signPaletteToken`. */
  signSessionToken(claims: Record<string, unknown>): string;
  /** The released name of `verifyPaletteToken`. @deprecated Use `verifyPaletteToken`. */
  verifySessionToken(token: string): Record<string, unknown> | undefined;
  /** The released name of `signOutPaletteToken`. @deprecated Use `signOutPaletteToken`. */
  signOutSessionToken(token: string): void;
  addUser(u: EmulatorUser): void;
}

export interface SpectroCloudEmulator extends SpectroCloudEmulatorControls {
  /** Stops the server, dropping keep-alive connections too. */
  close(): Promise<void>;
}
