import { randomBytes } from 'node:crypto';
import { ExpiringStore } from './expiringStore';
import type { SessionTokens } from './sessionTokens';
import type { DirectoryUser } from './users';

/** What an authorization code stands for, checked again at the token endpoint. */
export interface AuthorizationGrant {
  clientId: string;
  redirectUri: string;
  email: string;
  scope: string;
  nonce?: string;
  codeChallenge?: string;
  /** When the user authenticated (seconds since the epoch): the ID token's `auth_time`. */
  authTime: number;
  /** The first requested `acr_values` entry, if any. */
  acr?: string;
  /** Set when the code itself is the session token (sessionTokenAsCode). */
  sessionToken?: string;
}

const CODE_LIFETIME_MS = 60_000;

/** One-time authorization codes that expire after 60 seconds, like Palette's. */
export class AuthorizationCodes {
  readonly #store: ExpiringStore<AuthorizationGrant>;

  constructor(
    private readonly sessionTokens: SessionTokens,
    private readonly sessionTokenAsCode: boolean,
    private readonly ttlSeconds: number,
    private readonly clock: () => number,
  ) {
    this.#store = new ExpiringStore(CODE_LIFETIME_MS, clock);
  }

  issue(grant: Omit<AuthorizationGrant, 'sessionToken'>, user: DirectoryUser): string {
    if (this.sessionTokenAsCode) {
      const sessionToken = this.sessionTokens.issue(user, this.ttlSeconds, Math.floor(this.clock() / 1000));
      this.#store.set(sessionToken, { ...grant, sessionToken });
      return sessionToken;
    }
    const code = randomBytes(32).toString('base64url');
    this.#store.set(code, grant);
    return code;
  }

  /** The grant, removed so a second use fails; undefined when unknown, used or expired. */
  redeem(code: string): AuthorizationGrant | undefined {
    const grant = this.#store.take(code);
    // A session-token code must also carry our valid HS256 signature.
    if (grant?.sessionToken && !this.sessionTokens.verify(code)) return undefined;
    return grant;
  }
}
