import type { Request } from 'express';
import type { SpectroCloudEnvironmentConfig } from '../config/readEnvironmentConfig';
import type { OutboundClient } from '../http/OutboundClient';
import type { SpectroCloudLogger } from '../logger';
import type { SpectroCloudAuthorizeOptions, TokenResponse } from '../oauth2/SpectroCloudStrategy';
import type { ResolvedEndpoints } from '../oidc/EndpointResolver';
import type { IdTokenClaims } from '../oidc/IdTokenVerifier';
import type { SessionPayload } from '../refreshSession/SealedSession';
import type { GrantSource, RefreshGrantResult } from '../refreshShortcuts/ConcurrentRefreshGrants';
import type { BoundValues } from './BrowserBinding';

/*
 * What the sign-in service calls, each as small as the service needs it. The
 * composition root (src/composition/createSignInService.ts) hands in the real
 * implementations; nothing here knows which backend is running.
 */

/** The ID-token check (oidc/IdTokenVerifier): signature, iss, aud, azp, exp, iat, nonce, auth_time, acr. */
export interface IdTokenCheck {
  verify(idToken: unknown, expected?: { nonce?: string; maxAge?: number; acrValues?: string[] }): Promise<IdTokenClaims>;
}

/** Where SpectroCloud's endpoints are (oidc/EndpointResolver: config, discovery, derived). */
export interface EndpointSource {
  resolve(): Promise<ResolvedEndpoints>;
}

/** The browser binding of a sign-in: nonce and PKCE verifier from the browser's nonce cookie (BrowserBinding). */
export interface SignInBinding {
  forStart(adapterNonce: string, req?: Request): BoundValues;
  forCallback(req: Request): BoundValues;
}

/** The session cookie codec (refreshSession/RefreshCookie): the sealed session in the refresh cookie. */
export interface SessionCookie {
  read(req: Request, first: string | undefined): SessionPayload;
  write(req: Request, payload: SessionPayload, origin: string | undefined): string;
  clear(req: Request, origin: string | undefined): void;
}

/** Sessions ended by sign-out, shared by replicas (refreshSession/RevokedSessions). */
export interface Revocations {
  revoke(sessionId: string, until: number): Promise<unknown>;
  isRevoked(sessionId: string): Promise<boolean>;
}

/** One refresh grant per presented refresh token, in this process and across replicas (ConcurrentRefreshGrants). */
export interface RefreshGrantCoordination {
  run(refreshToken: string, context: string, grant: () => Promise<RefreshGrantResult>): Promise<{ result: RefreshGrantResult; source: GrantSource }>;
}

/** SpectroCloud's token endpoint, through the passport-oauth2 strategy (oauth2/PassportOAuth2Client). Nothing here verifies. */
export interface OAuth2Client {
  authorizationUrl(req: Request, tokenUrl: string, params: SpectroCloudAuthorizeOptions): Promise<{ url: string; status: number }>;
  /** the callback's code exchanged with the PKCE verifier: the token response as it came, unverified */
  exchangeCode(req: Request, tokenUrl: string, codeVerifier: string): Promise<TokenResponse>;
  refreshGrant(tokenUrl: string, refreshToken: string, scope: string | undefined): Promise<TokenResponse>;
}

/** Keeps the Palette token at sign-in, drops it at sign-out (paletteTokens/capture implements it). */
export interface PaletteTokenHooks {
  remember(input: { req: Request; userEntityRef?: string; email: string; paletteToken: string; expiresAt: number }): Promise<void>;
  forget(input: { req: Request; userEntityRef?: string; email?: string }): Promise<void>;
}

/** Sign-ins and failures counted (SpectroCloudAuthMetrics implements it); `provider` is the provider id, so one counter object can serve several tenants. */
export interface SignInEvents {
  signIn(provider?: string): void;
  signInFailure(code: string, provider?: string): void;
}

/** The settings of `auth.providers.<id>.<env>` the service reads. */
export type SignInSettings = Pick<
  SpectroCloudEnvironmentConfig,
  | 'clientId'
  | 'clientSecret'
  | 'tokenEndpointAuthMethod'
  | 'scope'
  | 'startUrlSearchParams'
  | 'maxAge'
  | 'clockTolerance'
  | 'sessionDurationMs'
  | 'refreshGrantInterval'
  | 'signOutOfSpectroCloud'
>;

export interface SignInServiceDeps {
  providerId: string;
  environment: string;
  config: SignInSettings;
  /** the app's URL: redirects must point at its origin; SpectroCloud's sign-out returns to it */
  appUrl: string;
  verifier: IdTokenCheck;
  endpoints: EndpointSource;
  binding: SignInBinding;
  oauth2: OAuth2Client;
  cookie: SessionCookie;
  revocations: Revocations;
  refreshGrants: RefreshGrantCoordination;
  /** the userinfo and revocation calls go through it */
  http: OutboundClient;
  paletteTokens?: PaletteTokenHooks;
  events?: SignInEvents;
  logger: SpectroCloudLogger;
  /** epoch ms; read per call (tests move time with vi.setSystemTime) */
  clock: () => number;
  /** warns once per environment, not at every sign-in */
  warnOnce: (key: string, message: string) => void;
}
