import type { AuthorizationRequest } from './authorizationRequest';
import { AuthorizationCodes, type AuthorizationGrant } from './codes';
import { ExpiringStore } from './expiringStore';
import { SigningKeys } from './keys';
import { resolveOptions, type ResolvedOptions } from './options';
import { withDeprecatedStats } from './deprecatedNames';
import { PaletteTokens } from './paletteTokens';
import { BrowserSessions, type BrowserSession } from './sessions';
import { StalledRequests } from './stalledRequests';
import type { AuthorizationRequestParams, EmulatorFaults, EmulatorStats, SpectroCloudEmulatorOptions } from './types';
import { emulatorUrls, type EmulatorUrls } from './urls';
import { loadUsersFile, UserDirectory } from './users';

/** What an access token stands for, for the userinfo endpoint. */
export interface AccessGrant {
  email: string;
  clientId: string;
  scope: string;
}

/** An authorization request waiting for the user at the login or consent page. */
export interface Interaction {
  request: AuthorizationRequest;
  /** Set once the user signed in and only consent is left. */
  session?: BrowserSession;
}

/** Everything the routes share. One per emulator instance; nothing global. */
export interface EmulatorState {
  options: ResolvedOptions;
  urls: EmulatorUrls;
  keys: SigningKeys;
  paletteTokens: PaletteTokens;
  users: UserDirectory;
  codes: AuthorizationCodes;
  accessTokens: ExpiringStore<AccessGrant>;
  interactions: ExpiringStore<Interaction>;
  sessions: BrowserSessions;
  faults: EmulatorFaults;
  /** Token requests held by the tokenStall fault. */
  stalledTokenRequests: StalledRequests;
  stats: EmulatorStats;
  /** Opaque OAuth refresh tokens (the `refreshTokenGrant` option) and the sign-in each continues. */
  refreshTokens: ExpiringStore<RefreshGrant>;
  /** What the last authorization request carried, for tests to assert on. */
  lastAuthorizationRequest?: AuthorizationRequestParams;
}

/** What an opaque refresh token stands for: the original grant, without its one-time nonce. */
export type RefreshGrant = Omit<AuthorizationGrant, 'paletteToken'>;

const INTERACTION_LIFETIME_MS = 10 * 60 * 1000;
const REFRESH_TOKEN_LIFETIME_MS = 24 * 60 * 60 * 1000;

export function createEmulatorState(options: SpectroCloudEmulatorOptions, baseUrl: string): EmulatorState {
  const resolved = resolveOptions(options);
  const { clock } = resolved;
  const urls = emulatorUrls(baseUrl, resolved.tenantId);
  const paletteTokens = new PaletteTokens(clock);
  const faults: EmulatorFaults = {};
  return {
    options: resolved,
    urls,
    keys: new SigningKeys(),
    paletteTokens,
    users: new UserDirectory([...(options.users ?? []), ...(options.usersFile ? loadUsersFile(options.usersFile) : [])]),
    codes: new AuthorizationCodes(paletteTokens, resolved.paletteTokenAsCode, resolved.paletteTokenTtlSeconds, clock),
    accessTokens: new ExpiringStore(resolved.idTokenTtlSeconds * 1000, clock),
    interactions: new ExpiringStore(INTERACTION_LIFETIME_MS, clock),
    sessions: new BrowserSessions({ cookiePath: new URL(urls.issuer).pathname, secure: urls.url.startsWith('https:'), clock }),
    faults,
    stalledTokenRequests: new StalledRequests(() => faults.tokenStall === true),
    stats: withDeprecatedStats({
      jwksRequests: 0,
      tokenRequests: 0,
      discoveryRequests: 0,
      authorizationRequests: 0,
      endSessionRequests: 0,
      basicAuthTokenRequests: 0,
      paletteTokenRenewals: 0,
      paletteTokenRenewalsRefused: 0,
      paletteApiRequests: 0,
    }),
    refreshTokens: new ExpiringStore(REFRESH_TOKEN_LIFETIME_MS, clock),
  };
}
