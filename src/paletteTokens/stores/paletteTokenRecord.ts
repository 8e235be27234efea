import { paletteTokenExpiry } from './paletteTokenExpiry';

/**
 * A signed-in user's Palette token as the cache returns it. The e-mail is kept
 * beside the token so a request that names an e-mail can be checked against
 * the verified user's own entry instead of being used as a lookup key.
 * Why public: what the cache's lookups return.
 *
 * @public
 */
export interface PaletteTokenRecord {
  /** The Palette token (SpectroCloud's HS256 token; the field keeps its released name). */
  sessionToken: string;
  /** Epoch milliseconds. */
  expiresAt: number;
  userEntityRef?: string;
  /** Lower-cased. */
  email?: string;
}

/** What `PaletteTokenCache.remember` takes (written out there too, for its public signature). */
export interface RememberPaletteTokenInput {
  userEntityRef?: string;
  email?: string;
  sessionToken: string;
  expiresAt: number;
}

/**
 * The one format of a Palette-token entry in every store, plain and versioned:
 * `{"v":1,"t":<token>,"x":<expiry, epoch ms>,"e":<e-mail, optional>}`. How a
 * store keeps it (the memory store packs it, see ttlStore/packedEntry.ts) is
 * that store's business. The e-mail pointer (`ei:` keys) is the bare entity ref.
 *
 * `t`, `x` and `e` are the field names the releases before the version field
 * read, so a replica not yet upgraded reads what an upgraded one writes.
 */
export interface StoredPaletteToken {
  /** the Palette token */
  t: string;
  /** epoch ms */
  x: number;
  /** lower-cased e-mail */
  e?: string;
  /** the entity ref: only in entries of the oldest releases, read, never written */
  r?: string;
}

const VERSION = 1;

export function encodeRecord(record: StoredPaletteToken): string {
  return JSON.stringify({ v: VERSION, t: record.t, x: record.x, ...(record.e !== undefined && { e: record.e }) });
}

/** An entry of this release or of the releases a rolling upgrade meets; undefined for anything else (a miss). */
export function decodeRecord(value: string): StoredPaletteToken | undefined {
  return value.startsWith('{') ? decodeJson(value) : decodePreviousPacked(value);
}

function decodeJson(value: string): StoredPaletteToken | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return undefined; // not written by the cache (e.g. a foreign key prefix collision): a miss
  }
  const record = parsed as { v?: unknown; t?: unknown; x?: unknown; e?: unknown; r?: unknown } | null;
  // No `v`: written by a release before the version field, same fields. A newer version is a miss, not a guess.
  if (record?.v !== undefined && record.v !== VERSION) return undefined;
  if (typeof record?.t !== 'string' || typeof record.x !== 'number') return undefined;
  return {
    t: record.t,
    x: record.x,
    ...(typeof record.e === 'string' && { e: record.e }),
    ...(typeof record.r === 'string' && { r: record.r }),
  };
}

/**
 * The previous release wrote the memory store's packing into every store:
 * `<token> <expiry in base 36, empty when the token's own exp> <e-mail>`.
 * Still read so that a rolling upgrade does not sign anyone out of their
 * Palette token; never written. Remove once no supported release writes it.
 */
function decodePreviousPacked(value: string): StoredPaletteToken | undefined {
  const tokenEnd = value.indexOf(' ');
  const expiryEnd = value.indexOf(' ', tokenEnd + 1);
  if (tokenEnd <= 0 || expiryEnd < 0) return undefined;
  const t = value.slice(0, tokenEnd);
  const x = expiryEnd > tokenEnd + 1 ? parseInt(value.slice(tokenEnd + 1, expiryEnd), 36) : paletteTokenExpiry(t);
  const e = value.slice(expiryEnd + 1);
  if (x === undefined || !Number.isFinite(x)) return undefined;
  return { t, x, ...(e !== '' && { e }) };
}

// Keys. `ref:` + the full entity ref is what this release writes; the previous
// release wrote `user:default/` as `~` in keys and pointers (read on a miss).
const DEFAULT_USER_NAMESPACE = 'user:default/';
export const refKey = (ref: string) => `ref:${ref}`;
export const emailKey = (email: string) => `email:${email}`;
/** The previous release's key of a default-namespace user, or undefined when it wrote the full one. */
export const previousRefKey = (ref: string) =>
  ref.startsWith(DEFAULT_USER_NAMESPACE) ? `ref:~${ref.slice(DEFAULT_USER_NAMESPACE.length)}` : undefined;
/** A pointer's entity ref: the full ref, or the previous release's `~name`. */
export const refOfPointer = (pointer: string) => (pointer.startsWith('~') ? `${DEFAULT_USER_NAMESPACE}${pointer.slice(1)}` : pointer);
