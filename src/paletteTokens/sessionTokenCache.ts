import { sessionTokenExpiry } from './capture';
import type { SpectroCloudTokenStore } from './types';

/**
 * What the cache holds for a signed-in user. The e-mail is kept beside the
 * token so a request that names an e-mail can be checked against the verified
 * user's own entry instead of being used as a lookup key.
 *
 * @public
 */
export interface SpectroCloudSession {
  sessionToken: string;
  /** Epoch milliseconds. */
  expiresAt: number;
  userEntityRef?: string;
  /** Lower-cased. */
  email?: string;
}

/** @public */
export interface RememberSessionInput {
  /** The Backstage user the session belongs to, e.g. `user:default/jane`. */
  userEntityRef?: string;
  email?: string;
  /** SpectroCloud's HS256 session token (the `refresh_token` of the token response). */
  sessionToken: string;
  /** Epoch milliseconds; further clamped to the session token's own `exp`. */
  expiresAt: number;
}

/** @public */
export interface SessionTokenCacheOptions {
  store: SpectroCloudTokenStore;
  /** Epoch-milliseconds clock. Default `Date.now`. */
  clock?: () => number;
}

// Compact field names: this JSON is what sits in Redis (or memory) per user.
interface StoredSession {
  t: string;
  x: number;
  r?: string;
  e?: string;
}

/**
 * The facade the sign-in handler and the backend-plugin hand-off share.
 * Entries are stored under `ref:<userEntityRef>` and `email:<lower-cased email>`
 * in the given {@link SpectroCloudTokenStore}.
 *
 * @public
 */
export class SessionTokenCache {
  /** The store underneath; sign-out records ended sessions in it too (own key namespace). */
  readonly store: SpectroCloudTokenStore;
  private readonly clock: () => number;

  constructor(options: SessionTokenCacheOptions) {
    this.store = options.store;
    this.clock = options.clock ?? Date.now;
  }

  /**
   * Stores the session token for the user and/or e-mail. Never keeps it past
   * the token's own `exp`; an already expired session is not stored (and any
   * older entry for the same user is dropped).
   */
  async remember(input: RememberSessionInput): Promise<void> {
    const userEntityRef = normalizeRef(input.userEntityRef);
    const email = normalizeEmail(input.email);
    if (!userEntityRef && !email) throw new TypeError('SessionTokenCache.remember needs a userEntityRef or an email');
    if (typeof input.sessionToken !== 'string' || input.sessionToken === '') {
      throw new TypeError('SessionTokenCache.remember needs a non-empty sessionToken');
    }
    const ownExpiry = sessionTokenExpiry(input.sessionToken);
    const expiresAt = ownExpiry === undefined ? input.expiresAt : Math.min(input.expiresAt, ownExpiry);

    // A user whose e-mail changed must not leave the old e-mail pointing at them.
    if (userEntityRef) {
      const previous = await this.read(refKey(userEntityRef));
      if (previous?.e && previous.e !== email) {
        // ...unless that e-mail has since been taken by someone else's session.
        const byOldEmail = await this.read(emailKey(previous.e));
        if (byOldEmail?.r === userEntityRef) await this.store.delete(emailKey(previous.e));
      }
    }

    const record: StoredSession = { t: input.sessionToken, x: expiresAt, r: userEntityRef, e: email };
    const value = JSON.stringify(record);
    if (userEntityRef) await this.store.set(refKey(userEntityRef), value, expiresAt);
    if (email) await this.store.set(emailKey(email), value, expiresAt);
  }

  /** The session of a verified Backstage user; `undefined` when unknown or expired. */
  async forUser(userEntityRef: string): Promise<SpectroCloudSession | undefined> {
    const ref = normalizeRef(userEntityRef);
    return ref ? this.toSession(await this.read(refKey(ref))) : undefined;
  }

  /**
   * The session stored for an e-mail. Trusts its caller: only use it with an
   * e-mail that came from a verified source, never from a request header.
   */
  async forEmail(email: string): Promise<SpectroCloudSession | undefined> {
    const normalized = normalizeEmail(email);
    return normalized ? this.toSession(await this.read(emailKey(normalized))) : undefined;
  }

  /** Drops the session (sign-out). */
  async forget(input: { userEntityRef?: string; email?: string }): Promise<void> {
    const ref = normalizeRef(input.userEntityRef);
    const email = normalizeEmail(input.email);
    if (ref) await this.store.delete(refKey(ref));
    if (email) await this.store.delete(emailKey(email));
  }

  close(): Promise<void> {
    return this.store.close();
  }

  private async read(key: string): Promise<StoredSession | undefined> {
    const value = await this.store.get(key);
    if (value === undefined) return undefined;
    const record = parseRecord(value);
    return record && record.x > this.clock() ? record : undefined;
  }

  private toSession(record: StoredSession | undefined): SpectroCloudSession | undefined {
    if (!record) return undefined;
    return {
      sessionToken: record.t,
      expiresAt: record.x,
      ...(record.r !== undefined && { userEntityRef: record.r }),
      ...(record.e !== undefined && { email: record.e }),
    };
  }
}

function parseRecord(value: string): StoredSession | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return undefined; // not written by this class (e.g. a foreign key prefix collision): a miss
  }
  const record = parsed as Partial<StoredSession> | null;
  if (typeof record?.t !== 'string' || typeof record.x !== 'number') return undefined;
  return record as StoredSession;
}

// Backstage compares entity refs case-insensitively; so do we.
function normalizeRef(ref: string | undefined): string | undefined {
  const trimmed = ref?.trim();
  return trimmed ? trimmed.toLocaleLowerCase('en-US') : undefined;
}

function normalizeEmail(email: string | undefined): string | undefined {
  const trimmed = email?.trim();
  return trimmed ? trimmed.toLowerCase() : undefined;
}

const refKey = (ref: string) => `ref:${ref}`;
const emailKey = (email: string) => `email:${email}`;
