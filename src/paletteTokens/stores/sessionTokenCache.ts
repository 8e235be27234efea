import { createHash } from 'node:crypto';
import { sessionTokenExpiry } from './sessionTokenExpiry';
import { flat } from '../../ttlStore/packedEntry';
import type { SpectroCloudTokenStore } from '../../ttlStore/types';

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
  /**
   * Where the small e-mail -> user pointers go. Default: `store` itself.
   * `createSessionTokenCache` gives a memory store an index of its own of the
   * same size, so its `maxEntries` counts users, not users plus pointers.
   */
  index?: SpectroCloudTokenStore;
  /** Epoch-milliseconds clock. Default `Date.now`. */
  clock?: () => number;
}

// What sits in the store per user. Written as `<token> <expiry> <e-mail>`
// (see encodeRecord); entries written by earlier versions are JSON with these
// field names, `r` only in the oldest (the key names the user now).
interface StoredSession {
  t: string;
  x: number;
  r?: string;
  e?: string;
}

/**
 * The facade the sign-in handler and the backend-plugin hand-off share.
 *
 * One entry per user: under `ref:<userEntityRef>`, or `email:<e-mail>` for a
 * session stored by e-mail alone (the seed-compatible API). A user with both
 * also gets a small index entry `ei:<hash of the e-mail>` whose value is just
 * the entity ref. The index is a hint, never trusted: a lookup by e-mail follows
 * it and accepts the entry only if that entry names the same e-mail, so a stale
 * pointer (the user's e-mail changed, the entry expired or was evicted, two
 * e-mails share a hash) reads as a miss and nothing on the sign-in path has to
 * read before it writes.
 *
 * The hand-off looks users up by verified entity ref: one store read.
 *
 * @public
 */
export class SessionTokenCache {
  /** The store underneath; sign-out records ended sessions in it too (own key namespace). */
  readonly store: SpectroCloudTokenStore;
  private readonly index: SpectroCloudTokenStore;
  private readonly clock: () => number;

  constructor(options: SessionTokenCacheOptions) {
    this.store = options.store;
    this.index = options.index ?? options.store;
    this.clock = options.clock ?? Date.now;
  }

  /**
   * Stores the session token for the user and/or e-mail. Never keeps it past
   * the token's own `exp`; an already expired session is not stored (and any
   * older entry for the same user is dropped). Writes the entry and the
   * e-mail pointer side by side, without reading first.
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

    const record: StoredSession = { t: input.sessionToken, x: expiresAt, ...(email !== undefined && { e: email }) };
    const entryKey = userEntityRef ? refKey(userEntityRef) : emailKey(email!);
    const writes = [this.store.set(entryKey, encodeRecord(record, ownExpiry), expiresAt)];
    if (userEntityRef && email) writes.push(this.index.set(indexKey(email), pointerTo(userEntityRef), expiresAt));
    await settleAll(writes);
  }

  /** The session of a verified Backstage user; `undefined` when unknown or expired. One store read. */
  async forUser(userEntityRef: string): Promise<SpectroCloudSession | undefined> {
    const ref = normalizeRef(userEntityRef);
    return ref ? this.toSession(await this.readEntry(ref), ref) : undefined;
  }

  /**
   * The session stored for an e-mail. Trusts its caller: only use it with an
   * e-mail that came from a verified source, never from a request header.
   */
  async forEmail(email: string): Promise<SpectroCloudSession | undefined> {
    const normalized = normalizeEmail(email);
    if (!normalized) return undefined;
    const pointer = await this.index.get(indexKey(normalized));
    if (pointer) {
      const ref = refOfPointer(pointer);
      const record = await this.readEntry(ref);
      // Only an entry that still names this e-mail counts: the pointer may be stale.
      if (record?.e === normalized) return this.toSession(record, ref);
    }
    return this.toSession(await this.read(emailKey(normalized)), undefined);
  }

  /** Drops the session (sign-out): the user's entry, the e-mail's entry and its pointer. */
  async forget(input: { userEntityRef?: string; email?: string }): Promise<void> {
    const ref = normalizeRef(input.userEntityRef);
    const email = normalizeEmail(input.email);
    const deletes: Array<Promise<void>> = [];
    if (ref) deletes.push(this.store.delete(refKey(ref)));
    if (ref && refKey(ref) !== fullRefKey(ref)) deletes.push(this.store.delete(fullRefKey(ref)));
    if (email) deletes.push(this.store.delete(emailKey(email)), this.index.delete(indexKey(email)));
    await settleAll(deletes);
  }

  async close(): Promise<void> {
    await settleAll(this.index === this.store ? [this.store.close()] : [this.store.close(), this.index.close()]);
  }

  /**
   * The user's entry; on a miss, also under the key earlier versions wrote
   * (`ref:user:default/...` in full), so an upgrade does not lose the sessions
   * a shared store (Redis, Backstage's cache) holds. A hit is one read.
   */
  private async readEntry(ref: string): Promise<StoredSession | undefined> {
    const key = refKey(ref);
    const record = await this.read(key);
    const fullKey = fullRefKey(ref);
    return record ?? (fullKey === key ? undefined : this.read(fullKey));
  }

  private async read(key: string): Promise<StoredSession | undefined> {
    const value = await this.store.get(key);
    if (value === undefined) return undefined;
    const record = parseRecord(value);
    return record && record.x > this.clock() ? record : undefined;
  }

  private toSession(record: StoredSession | undefined, ref: string | undefined): SpectroCloudSession | undefined {
    if (!record) return undefined;
    const userEntityRef = ref ?? record.r;
    return {
      sessionToken: record.t,
      expiresAt: record.x,
      ...(userEntityRef !== undefined && { userEntityRef }),
      ...(record.e !== undefined && { email: record.e }),
    };
  }
}

/** Waits for every operation (none is left running unobserved), then rethrows the first failure. */
async function settleAll(operations: Array<Promise<void>>): Promise<void> {
  const results = await Promise.allSettled(operations);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/**
 * `<token> <expiry> <e-mail>`: the token first, so the memory store packs it as
 * bytes (packedEntry.ts), the expiry in base 36 and left out when it is the
 * token's own `exp` (the usual case: a session token outlives no sign-in),
 * the e-mail last and possibly empty. A token with a space, or one that could
 * read as JSON, is written as JSON as before.
 */
function encodeRecord(record: StoredSession, ownExpiry: number | undefined): string {
  if (record.t.includes(' ') || record.t.startsWith('{')) return JSON.stringify(record);
  const expiry = record.x === ownExpiry ? '' : record.x.toString(36);
  return flat(`${record.t} ${expiry} ${record.e ?? ''}`);
}

function parseRecord(value: string): StoredSession | undefined {
  if (!value.startsWith('{')) {
    const tokenEnd = value.indexOf(' ');
    const expiryEnd = value.indexOf(' ', tokenEnd + 1);
    if (tokenEnd <= 0 || expiryEnd < 0) return undefined; // not written by this class: a miss
    const t = value.slice(0, tokenEnd);
    const x = expiryEnd > tokenEnd + 1 ? parseInt(value.slice(tokenEnd + 1, expiryEnd), 36) : sessionTokenExpiry(t);
    const e = value.slice(expiryEnd + 1);
    if (x === undefined || !Number.isFinite(x)) return undefined;
    return { t, x, ...(e !== '' && { e }) };
  }
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

// Backstage compares entity refs case-insensitively; so do we. No entity ref
// starts with `~`, which stands for `user:default/` in keys and pointers: such
// a string is refused rather than read as another user's abbreviation.
function normalizeRef(ref: string | undefined): string | undefined {
  const trimmed = ref?.trim();
  return trimmed && !trimmed.startsWith('~') ? trimmed.toLocaleLowerCase('en-US') : undefined;
}

function normalizeEmail(email: string | undefined): string | undefined {
  const trimmed = email?.trim();
  return trimmed ? trimmed.toLowerCase() : undefined;
}

// Keys are flat strings: a memory store holds them per user (see flat()).
// The entry's key and the pointer name the entity ref with `user:default/`
// (most users' namespace) written as `~`: 12 bytes less per key and pointer.
const DEFAULT_USER_NAMESPACE = 'user:default/';
const abbreviated = (ref: string) => (ref.startsWith(DEFAULT_USER_NAMESPACE) ? `~${ref.slice(DEFAULT_USER_NAMESPACE.length)}` : ref);
const pointerTo = (ref: string) => flat(abbreviated(ref));
const refKey = (ref: string) => flat(`ref:${abbreviated(ref)}`);
/** The key earlier versions wrote: still read on a miss and deleted at sign-out. */
const fullRefKey = (ref: string) => `ref:${ref}`;
const emailKey = (email: string) => flat(`email:${email}`);
const refOfPointer = (pointer: string) => (pointer.startsWith('~') ? `${DEFAULT_USER_NAMESPACE}${pointer.slice(1)}` : pointer);
/** 72 bits of SHA-256: the pointer is checked against the entry, so a collision is only a miss. */
const indexKey = (email: string) => flat(`ei:${createHash('sha256').update(email).digest('base64url').slice(0, 12)}`);
