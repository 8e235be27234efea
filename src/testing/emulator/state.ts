import type { AuthorizationRequest } from './authorizationRequest';
import { AuthorizationCodes } from './codes';
import { ExpiringStore } from './expiringStore';
import { SigningKeys } from './keys';
import { resolveOptions, type ResolvedOptions } from './options';
import { SessionTokens } from './sessionTokens';
import { BrowserSessions } from './sessions';
import type { EmulatorFaults, EmulatorStats, SpectroCloudEmulatorOptions } from './types';
import { emulatorUrls, type EmulatorUrls } from './urls';
import { loadUsersFile, UserDirectory } from './users';

/** What an access token stands for, for the userinfo endpoint. */
export interface AccessGrant {
  email: string;
  clientId: string;
}

/** An authorization request waiting for the user at the login or consent page. */
export interface Interaction {
  request: AuthorizationRequest;
  /** Set once the user picked an account and only consent is left. */
  email?: string;
}

/** Everything the routes share. One per emulator instance; nothing global. */
export interface EmulatorState {
  options: ResolvedOptions;
  urls: EmulatorUrls;
  keys: SigningKeys;
  sessionTokens: SessionTokens;
  users: UserDirectory;
  codes: AuthorizationCodes;
  accessTokens: ExpiringStore<AccessGrant>;
  interactions: ExpiringStore<Interaction>;
  sessions: BrowserSessions;
  faults: EmulatorFaults;
  stats: EmulatorStats;
}

const INTERACTION_LIFETIME_MS = 10 * 60 * 1000;

export function createEmulatorState(options: SpectroCloudEmulatorOptions, baseUrl: string): EmulatorState {
  const resolved = resolveOptions(options);
  const urls = emulatorUrls(baseUrl, resolved.tenantId);
  const sessionTokens = new SessionTokens();
  return {
    options: resolved,
    urls,
    keys: new SigningKeys(),
    sessionTokens,
    users: new UserDirectory([...(options.users ?? []), ...(options.usersFile ? loadUsersFile(options.usersFile) : [])]),
    codes: new AuthorizationCodes(sessionTokens, resolved.sessionTokenAsCode, resolved.idTokenTtlSeconds),
    accessTokens: new ExpiringStore(resolved.idTokenTtlSeconds * 1000),
    interactions: new ExpiringStore(INTERACTION_LIFETIME_MS),
    sessions: new BrowserSessions(new URL(urls.issuer).pathname),
    faults: {},
    stats: { jwksRequests: 0, tokenRequests: 0, discoveryRequests: 0, authorizationRequests: 0 },
  };
}
