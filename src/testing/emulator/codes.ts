import { randomBytes } from 'node:crypto';
import { ExpiringStore } from './expiringStore';
import type { PaletteTokens } from './paletteTokens';
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
  /** Set when the code itself is the Palette token (paletteTokenAsCode). */
  paletteToken?: string;
}

const CODE_LIFETIME_MS = 60_000;

/** One-time authorization codes that expire after 60 seconds, like Palette's. */
export class AuthorizationCodes {
  readonly #store: ExpiringStore<AuthorizationGrant>;

  constructor(
    private readonly paletteTokens: PaletteTokens,
    private readonly paletteTokenAsCode: boolean,
    private readonly ttlSeconds: number,
    private readonly clock: () => number,
  ) {
    this.#store = new ExpiringStore(CODE_LIFETIME_MS, clock);
  }

  issue(grant: Omit<AuthorizationGrant, 'paletteToken'>, user: DirectoryUser): string {
    if (this.paletteTokenAsCode) {
      const paletteToken = this.paletteTokens.issue(user, this.ttlSeconds, Math.floor(this.clock() / 1000));
      this.#store.set(paletteToken, { ...grant, paletteToken });
      return paletteToken;
    }
    const code = randomBytes(32).toString('base64url');
    this.#store.set(code, grant);
    return code;
  }

  /** The grant, removed so a second use fails; undefined when unknown, used or expired. */
  redeem(code: string): AuthorizationGrant | undefined {
    const grant = this.#store.take(code);
    // A Palette-token code must also carry our valid HS256 signature.
    if (grant?.paletteToken && !this.paletteTokens.verify(code)) return undefined;
    return grant;
  }
}
