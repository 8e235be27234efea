/**
 * The memory store's value layout: one flat one-byte string per entry holding
 * the expiry and the value, with a JWT inside the value kept as bytes.
 *
 * Why: at a million users the V8 heap cost is what matters. A `Map<string,
 * string>` of packed strings has no object and no boxed number per entry, and
 * a session token's base64url payload and signature take 3/4 of their text
 * length as raw bytes; its header (the same for every token of a tenant)
 * becomes a one-byte index into a small table owned by the codec.
 *
 * Layout (every "byte" is one Latin-1 character):
 *   [0..6)  expiresAt, epoch ms, big-endian
 *   [6]     kind: 0 = the value follows as text; k >= 1 = a JWT with header table[k - 1]
 *   kind >= 1: prefix length, payload length, signature length (2 bytes each),
 *              then prefix text, payload bytes, signature bytes, and the rest of the value (suffix text)
 *
 * `unpack(pack(v))` always returns `v` exactly: a value is packed only when it
 * is Latin-1 and its JWT segments are canonical base64url; anything else is
 * kept as text.
 */

const EXPIRY_BYTES = 6;
const MAX_EXPIRY = 2 ** 48 - 1; // year 10889
const KIND_TEXT = 0;
const MAX_HEADERS = 64; // bounded: a table entry per distinct JWT header, beyond that tokens stay text
const MAX_SEGMENT = 0xffff;
const JWT = /[A-Za-z0-9_-]+\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)/;
// eslint-disable-next-line no-control-regex
const LATIN1 = /^[\u0000-\u00ff]*$/;

export class PackedEntryCodec {
  private readonly headers: string[] = [];
  private readonly headerIndex = new Map<string, number>();

  pack(value: string, expiresAt: number): string {
    const expiry = Math.min(Math.max(0, Math.floor(expiresAt)), MAX_EXPIRY);
    return this.packJwt(value, expiry) ?? flat(expiryText(expiry) + String.fromCharCode(KIND_TEXT) + value);
  }

  expiresAt(packed: string): number {
    let expiry = 0;
    for (let i = 0; i < EXPIRY_BYTES; i++) expiry = expiry * 256 + packed.charCodeAt(i);
    return expiry;
  }

  unpack(packed: string): string {
    const kind = packed.charCodeAt(EXPIRY_BYTES);
    if (kind === KIND_TEXT) return packed.slice(EXPIRY_BYTES + 1);
    const header = this.headers[kind - 1];
    let at = EXPIRY_BYTES + 1;
    const prefixLength = readUint16(packed, at);
    const payloadLength = readUint16(packed, at + 2);
    const signatureLength = readUint16(packed, at + 4);
    at += 6;
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

    const out = Buffer.allocUnsafe(EXPIRY_BYTES + 7 + prefix.length + payload.length + signature.length + suffix.length);
    out.writeUIntBE(expiry, 0, EXPIRY_BYTES);
    let at = EXPIRY_BYTES;
    out[at++] = kind;
    at = out.writeUInt16BE(prefix.length, at);
    at = out.writeUInt16BE(payload.length, at);
    at = out.writeUInt16BE(signature.length, at);
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

function readUint16(text: string, at: number): number {
  return text.charCodeAt(at) * 256 + text.charCodeAt(at + 1);
}

// Copies a concatenation into one sequential string where it is Latin-1 (the
// common case); a two-byte value stays as the engine built it.
function flat(text: string): string {
  return LATIN1.test(text) ? Buffer.from(text, 'latin1').toString('latin1') : text;
}
