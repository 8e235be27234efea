/**
 * The memory store's value layout: one flat one-byte string per entry holding
 * the expiry and the value, with a JWT inside the value kept as bytes.
 *
 * Why: at a million users the V8 heap cost is what matters. A `Map<string,
 * string>` of packed strings has no object and no boxed number per entry, and
 * a Palette token's base64url payload and signature take 3/4 of their text
 * length as raw bytes; its header (the same for every token of a tenant)
 * becomes a one-byte index into a small table owned by the codec.
 *
 * Layout (every "byte" is one Latin-1 character):
 *   [0..6)  expiresAt, epoch ms, big-endian
 *   [6]     kind: 0 = the value follows as text; k >= 1 = a JWT with header table[k - 1];
 *           bit 0x80 on top of either: the entry was read since eviction last passed it (see memoryStore.ts)
 *   kind >= 1: prefix length, payload length, signature length (1 byte each below 128, else 3),
 *              then prefix text, payload bytes, signature bytes, and the rest of the value (suffix text)
 *
 * The text around the JWT goes through a small dictionary (compactText below).
 *
 * `unpack(pack(v))` always returns `v` exactly: a value is packed only when it
 * is Latin-1 and its JWT segments are canonical base64url; anything else is
 * kept as text.
 */

const EXPIRY_BYTES = 6;
const MAX_EXPIRY = 2 ** 48 - 1; // year 10889
const KIND_TEXT = 0;
const READ_MARK = 0x80;
const MAX_HEADERS = 64; // bounded: a table entry per distinct JWT header, beyond that tokens stay text
const MAX_SEGMENT = 0xffff;
// A match may start only where a run of base64url characters starts: without the lookbehind the engine retries
// every position of a long run without dots (an encrypted refresh-grant result), quadratic in the value's length
// (12 ms for a 4 KB value, most of a cold refresh's CPU). Same matches: a JWT found mid-run is found at its run's start.
const JWT = /(?<![A-Za-z0-9_-])[A-Za-z0-9_-]+\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)/;
// eslint-disable-next-line no-control-regex
const LATIN1 = /^[\u0000-\u00ff]*$/;

export class PackedEntryCodec {
  private readonly headers: string[] = [];
  private readonly headerIndex = new Map<string, number>();

  pack(value: string, expiresAt: number): string {
    const expiry = Math.min(Math.max(0, Math.floor(expiresAt)), MAX_EXPIRY);
    const text = compactText(value, expiry);
    return this.packJwt(text, expiry) ?? flat(expiryText(expiry) + String.fromCharCode(KIND_TEXT) + text);
  }

  expiresAt(packed: string): number {
    let expiry = 0;
    for (let i = 0; i < EXPIRY_BYTES; i++) expiry = expiry * 256 + packed.charCodeAt(i);
    return expiry;
  }

  /** Whether {@link withReadMark} marked the entry. */
  isRead(packed: string): boolean {
    return (packed.charCodeAt(EXPIRY_BYTES) & READ_MARK) !== 0;
  }

  /** The same entry with its read mark set or cleared: a new flat string of the same length. */
  withReadMark(packed: string, read: boolean): string {
    const bytes = Buffer.from(packed, 'latin1');
    bytes[EXPIRY_BYTES] = read ? bytes[EXPIRY_BYTES] | READ_MARK : bytes[EXPIRY_BYTES] & ~READ_MARK;
    return bytes.toString('latin1');
  }

  unpack(packed: string): string {
    return expandText(this.unpackText(packed), this.expiresAt(packed));
  }

  private unpackText(packed: string): string {
    const kind = packed.charCodeAt(EXPIRY_BYTES) & ~READ_MARK;
    if (kind === KIND_TEXT) return packed.slice(EXPIRY_BYTES + 1);
    const header = this.headers[kind - 1];
    const lengths = { at: EXPIRY_BYTES + 1 };
    const prefixLength = readLength(packed, lengths);
    const payloadLength = readLength(packed, lengths);
    const signatureLength = readLength(packed, lengths);
    let { at } = lengths;
    const prefix = packed.slice(at, (at += prefixLength));
    const payload = Buffer.from(packed.slice(at, (at += payloadLength)), 'latin1').toString('base64url');
    const signature = Buffer.from(packed.slice(at, (at += signatureLength)), 'latin1').toString('base64url');
    return `${prefix}${header}.${payload}.${signature}${packed.slice(at)}`;
  }

  private packJwt(value: string, expiry: number): string | undefined {
    if (!LATIN1.test(value)) return undefined;
    const match = JWT.exec(value);
    if (!match) return undefined;
    const [jwt, payloadText, signatureText] = match;
    const header = jwt.slice(0, jwt.length - payloadText.length - signatureText.length - 2);
    const prefix = value.slice(0, match.index);
    const suffix = value.slice(match.index + jwt.length);
    const payload = Buffer.from(payloadText, 'base64url');
    const signature = Buffer.from(signatureText, 'base64url');
    // Only canonical base64url re-encodes to the same text; anything else stays text.
    if (payload.toString('base64url') !== payloadText || signature.toString('base64url') !== signatureText) return undefined;
    if (prefix.length > MAX_SEGMENT || payload.length > MAX_SEGMENT || signature.length > MAX_SEGMENT) return undefined;
    const kind = this.headerKind(header);
    if (kind === undefined) return undefined;

    const lengthBytes = lengthSize(prefix.length) + lengthSize(payload.length) + lengthSize(signature.length);
    const out = Buffer.allocUnsafe(EXPIRY_BYTES + 1 + lengthBytes + prefix.length + payload.length + signature.length + suffix.length);
    out.writeUIntBE(expiry, 0, EXPIRY_BYTES);
    let at = EXPIRY_BYTES;
    out[at++] = kind;
    at = writeLength(out, prefix.length, at);
    at = writeLength(out, payload.length, at);
    at = writeLength(out, signature.length, at);
    at += out.write(prefix, at, 'latin1');
    at += payload.copy(out, at);
    at += signature.copy(out, at);
    out.write(suffix, at, 'latin1');
    // One flat one-byte string (a `+` chain would leave a rope of several objects).
    return out.toString('latin1');
  }

  private headerKind(header: string): number | undefined {
    let index = this.headerIndex.get(header);
    if (index === undefined) {
      if (this.headers.length >= MAX_HEADERS) return undefined;
      index = this.headers.push(header) - 1;
      this.headerIndex.set(header, index);
    }
    return index + 1;
  }
}

function expiryText(expiry: number): string {
  const bytes = Buffer.allocUnsafe(EXPIRY_BYTES);
  bytes.writeUIntBE(expiry, 0, EXPIRY_BYTES);
  return bytes.toString('latin1');
}

// Segment lengths: one byte below 128 (a Palette token's are), else 0x80 | the top 7 bits and two more bytes.
function lengthSize(length: number): number {
  return length < 0x80 ? 1 : 3;
}

function writeLength(out: Buffer, length: number, at: number): number {
  if (length < 0x80) {
    out[at] = length;
    return at + 1;
  }
  out[at] = 0x80 | (length >> 16);
  return out.writeUInt16BE(length & 0xffff, at + 1);
}

function readLength(text: string, cursor: { at: number }): number {
  const first = text.charCodeAt(cursor.at);
  if (first < 0x80) {
    cursor.at += 1;
    return first;
  }
  const length = (first & 0x7f) * 65_536 + text.charCodeAt(cursor.at + 1) * 256 + text.charCodeAt(cursor.at + 2);
  cursor.at += 3;
  return length;
}

/*
 * The text around a value's JWT (and a value without one) goes through a small
 * dictionary of what the Palette-token cache writes: its record's fixed JSON
 * fragments, `user:default/` (most users' namespace, in keys and pointers too),
 * and the record's expiry when it is the entry's own (written once, in the
 * expiry bytes). One control character each; a control character of the value
 * itself is escaped, so any value round-trips exactly.
 */
const ESCAPE = '\u0002';
const CONTROL = /[\u0001-\u0005]/;
const CONTROLS = /[\u0001-\u0005]/g;
const NAMESPACE = 'user:default/';
const RECORD_START = '{"v":1,"t":"';
const EMAIL_FIELD = ',"e":"';
const expiryField = (expiry: number) => `","x":${expiry}`;

/** `text` with the dictionary's fragments as single characters; `expiry` undefined for a key. */
export function compactText(text: string, expiry?: number): string {
  let out = CONTROL.test(text) ? text.replace(CONTROLS, c => ESCAPE + c) : text;
  if (out.includes(NAMESPACE)) out = out.split(NAMESPACE).join('\u0001');
  if (out.startsWith(RECORD_START)) out = `\u0003${out.slice(RECORD_START.length)}`;
  if (expiry !== undefined && out.includes('","x":')) out = out.split(expiryField(expiry)).join('\u0004');
  if (out.includes(EMAIL_FIELD)) out = out.split(EMAIL_FIELD).join('\u0005');
  return out;
}

function expandText(text: string, expiry: number): string {
  if (!CONTROL.test(text)) return text;
  return text.replace(/\u0002([\u0001-\u0005])|[\u0001\u0003\u0004\u0005]/g, (match, escaped: string | undefined) => {
    if (escaped !== undefined) return escaped;
    if (match === '\u0001') return NAMESPACE;
    if (match === '\u0003') return RECORD_START;
    return match === '\u0004' ? expiryField(expiry) : EMAIL_FIELD;
  });
}

/**
 * Copies a concatenation into one sequential string where it is Latin-1 (the
 * common case); a two-byte value stays as the engine built it. A `+` or
 * template concatenation of 13 characters or more is a rope (V8's ConsString:
 * an extra object per string, kept alive beside its flattened copy), which a
 * map key or value held per user cannot afford.
 */
export function flat(text: string): string {
  return LATIN1.test(text) ? Buffer.from(text, 'latin1').toString('latin1') : text;
}
