import { createHash } from 'node:crypto';
import type { SpectroCloudStore } from '../../ttlStore/types';
import type { PaletteApi } from '../paletteApi/paletteApi';
import type { PaletteTokenRenewal } from '../paletteApi/renewal';
import { paletteTokenExpiry } from './paletteTokenExpiry';
import { decodeRecord, emailKey, encodeRecord, previousRefKey, refKey, refOfPointer, type PaletteTokenRecord, type StoredPaletteToken } from './paletteTokenRecord';

export type { PaletteTokenRecord } from './paletteTokenRecord';

/**
 * How a cache built by `createPaletteTokenCache` reaches Palette: its API, and
 * the renewal of near-expiry tokens (absent with `tokenStore.renewPaletteTokens: false`).
 *
 * @internal
 */
export interface PaletteAccess {
  api: PaletteApi;
  renewal?: PaletteTokenRenewal;
}

/** What a {@link PaletteTokenCache} is built on (documented on its public constructor). */
interface PaletteTokenCacheOptions {
  store: SpectroCloudStore;
  index?: SpectroCloudStore;
  clock?: () => number;
}

/**
 * Where the sign-in keeps each user's Palette token and the hand-off to backend
 * plugins reads it.
 *
 * One entry per user: under `ref:<userEntityRef>`, or `email:<e-mail>` for a
 * token stored by e-mail alone (the seed-compatible API), in the versioned
 * record format of paletteTokenRecord.ts. A user with both also gets a small
 * index entry `ei:<hash of the e-mail>` whose value is just the entity ref.
 * The index is a hint, never trusted: a lookup by e-mail follows it and
 * accepts the entry only if that entry names the same e-mail, so a stale
 * pointer (the user's e-mail changed, the entry expired or was evicted, two
 * e-mails share a hash) reads as a miss and nothing on the sign-in path has to
 * read before it writes.
 *
 * The hand-off looks users up by verified entity ref: one store read.
 * Why public: the type of the cache a backend builds and hands to the provider and its plugins.
 *
 * @public
 */
export class PaletteTokenCache {
  /** The store underneath; sign-out records ended sessions in it too (own key namespace). */
  readonly store: SpectroCloudStore;
  /**
   * Palette's API and the renewal, when `createPaletteTokenCache` found Palette's
   * address in the config: the Palette API client needs it.
   *
   * @internal
   */
  readonly palette?: PaletteAccess;
  private readonly index: SpectroCloudStore;
  private readonly clock: () => number;

  constructor(options: {
    store: SpectroCloudStore;
    /**
     * Where the small e-mail -> user pointers go. Default: `store` itself.
     * `createPaletteTokenCache` gives a memory store an index of its own of the
     * same size, so its `maxEntries` counts users, not users plus pointers.
     */
    index?: SpectroCloudStore;
    /** Epoch-milliseconds clock. Default `Date.now`. */
    clock?: () => number;
  });
  /** @internal With Palette's API and the renewal: `createPaletteTokenCache` only. */
  constructor(options: PaletteTokenCacheOptions, palette: (cache: PaletteTokenCache) => PaletteAccess);
  constructor(options: PaletteTokenCacheOptions, palette?: (cache: PaletteTokenCache) => PaletteAccess) {
    this.store = options.store;
    this.index = options.index ?? options.store;
    this.clock = options.clock ?? Date.now;
    this.palette = palette?.(this);
  }

  /**
   * Stores the Palette token for the user and/or e-mail. Never keeps it past
   * the token's own `exp`; an already expired token is not stored (and any
   * older entry for the same user is dropped). Writes the entry and the
   * e-mail pointer side by side, without reading first.
   */
  async remember(input: {
    /** The Backstage user the token belongs to, e.g. `user:default/jane`. */
    userEntityRef?: string;
    email?: string;
    /** The Palette token (the `refresh_token` of SpectroCloud's token response). */
    sessionToken: string;
    /** Epoch milliseconds; further clamped to the token's own `exp`. */
    expiresAt: number;
  }): Promise<void> {
    const userEntityRef = normalizeRef(input.userEntityRef);
    const email = normalizeEmail(input.email);
    if (!userEntityRef && !email) throw new TypeError('PaletteTokenCache.remember needs a userEntityRef or an email');
    if (typeof input.sessionToken !== 'string' || input.sessionToken === '') {
      throw new TypeError('PaletteTokenCache.remember needs a non-empty sessionToken');
    }
    const ownExpiry = paletteTokenExpiry(input.sessionToken);
    const expiresAt = ownExpiry === undefined ? input.expiresAt : Math.min(input.expiresAt, ownExpiry);

    const record: StoredPaletteToken = { t: input.sessionToken, x: expiresAt, ...(email !== undefined && { e: email }) };
    const entryKey = userEntityRef ? refKey(userEntityRef) : emailKey(email!);
    const writes = [this.store.set(entryKey, encodeRecord(record), expiresAt)];
    if (userEntityRef && email) writes.push(this.index.set(indexKey(email), userEntityRef, expiresAt));
    await settleAll(writes);
  }

  /**
   * The Palette token of a verified Backstage user, renewed first through
   * Palette when it is near expiry (a cache of `createPaletteTokenCache`);
   * `undefined` when unknown, expired, or refused renewal.
   */
  async forUser(userEntityRef: string): Promise<PaletteTokenRecord | undefined> {
    const stored = await this.storedForUser(userEntityRef);
    const renewal = this.palette?.renewal;
    return stored && renewal ? renewal.ifNearExpiry(stored) : stored;
  }

  /** The user's record as stored, never renewed. One store read on a hit. */
  async storedForUser(userEntityRef: string): Promise<PaletteTokenRecord | undefined> {
    const ref = normalizeRef(userEntityRef);
    return ref ? this.toRecord(await this.readEntry(ref), ref) : undefined;
  }

  /**
   * The Palette token stored for an e-mail. Trusts its caller: only use it
   * with an e-mail that came from a verified source, never from a request header.
   */
  async forEmail(email: string): Promise<PaletteTokenRecord | undefined> {
    const normalized = normalizeEmail(email);
    if (!normalized) return undefined;
    const pointer = await this.index.get(indexKey(normalized));
    if (pointer) {
      const ref = refOfPointer(pointer);
      const record = await this.readEntry(ref);
      // Only an entry that still names this e-mail counts: the pointer may be stale.
      if (record?.e === normalized) return this.toRecord(record, ref);
    }
    return this.toRecord(await this.read(emailKey(normalized)), undefined);
  }

  /** Drops the Palette token (sign-out): the user's entry, the e-mail's entry and its pointer. */
  async forget(input: { userEntityRef?: string; email?: string }): Promise<void> {
    const ref = normalizeRef(input.userEntityRef);
    const email = normalizeEmail(input.email);
    const deletes: Array<Promise<void>> = [];
    if (ref) deletes.push(this.store.delete(refKey(ref)));
    const previousKey = ref && previousRefKey(ref);
    if (previousKey) deletes.push(this.store.delete(previousKey));
    if (email) deletes.push(this.store.delete(emailKey(email)), this.index.delete(indexKey(email)));
    await settleAll(deletes);
  }

  async close(): Promise<void> {
    await settleAll(this.index === this.store ? [this.store.close()] : [this.store.close(), this.index.close()]);
  }

  /**
   * The user's entry; on a miss, also under the key the previous release wrote
   * (`ref:~name` for `user:default/name`), so a rolling upgrade does not lose
   * the tokens a shared store (Redis, Backstage's cache) holds. A hit is one read.
   */
  private async readEntry(ref: string): Promise<StoredPaletteToken | undefined> {
    const record = await this.read(refKey(ref));
    const previousKey = previousRefKey(ref);
    return record ?? (previousKey ? this.read(previousKey) : undefined);
  }

  private async read(key: string): Promise<StoredPaletteToken | undefined> {
    const value = await this.store.get(key);
    if (value === undefined) return undefined;
    const record = decodeRecord(value);
    return record && record.x > this.clock() ? record : undefined;
  }

  private toRecord(record: StoredPaletteToken | undefined, ref: string | undefined): PaletteTokenRecord | undefined {
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

// Backstage compares entity refs case-insensitively; so do we. No entity ref
// starts with `~`, which the previous release wrote for `user:default/` in
// keys and pointers: such a string is refused rather than read as another user's.
function normalizeRef(ref: string | undefined): string | undefined {
  const trimmed = ref?.trim();
  return trimmed && !trimmed.startsWith('~') ? trimmed.toLocaleLowerCase('en-US') : undefined;
}

function normalizeEmail(email: string | undefined): string | undefined {
  const trimmed = email?.trim();
  return trimmed ? trimmed.toLowerCase() : undefined;
}

/** 72 bits of SHA-256: the pointer is checked against the entry, so a collision is only a miss. */
const indexKey = (email: string) => `ei:${createHash('sha256').update(email).digest('base64url').slice(0, 12)}`;
