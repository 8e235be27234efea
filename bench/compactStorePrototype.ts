// Prototype of the memory saving proposed for src/sessionToken/memoryStore.ts,
// measured by the bench next to the real MemoryTokenStore. NOT used by the
// package. Same contract (bounded LRU, per-entry expiry), two changes:
//  1. no Entry object per key: the expiry is packed into the value string
//     (8 base-36 characters of epoch ms), which also drops the boxed number;
//  2. a JWT-shaped token is kept as bytes, not base64url text: the header
//     segment (the same for every token of a tenant) becomes a one-character
//     index into a small table, payload and signature are base64url-decoded
//     and held as a one-byte string (3/4 of the text). A token whose segments
//     do not re-encode to exactly the same text is kept as it came.

const EXPIRY_WIDTH = 8; // base 36: enough for epoch ms until 2059
const RAW = '\u0000';
const MAX_HEADERS = 64;

export class CompactMemoryStore {
  private readonly entries = new Map<string, string>();
  private readonly headers: string[] = [];
  private readonly headerIndex = new Map<string, number>();

  constructor(private readonly maxEntries = 10_000, private readonly clock: () => number = Date.now) {}

  get size(): number {
    return this.entries.size;
  }

  async set(key: string, token: string, expiresAt: number): Promise<void> {
    this.entries.delete(key);
    if (!(expiresAt > this.clock())) return;
    while (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
    this.entries.set(key, this.pack(Math.floor(expiresAt).toString(36).padStart(EXPIRY_WIDTH, '0'), token));
  }

  async get(key: string): Promise<string | undefined> {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    this.entries.delete(key);
    if (parseInt(value.slice(0, EXPIRY_WIDTH), 36) <= this.clock()) return undefined;
    this.entries.set(key, value);
    return this.unpack(value, EXPIRY_WIDTH);
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }

  async close(): Promise<void> {
    this.entries.clear();
  }

  /**
   * expiry + (RAW + token | header index, payload length, payload bytes, signature bytes), built in one
   * Buffer so the stored value is one flat one-byte string (a `+` chain would leave a rope of several objects).
   */
  private pack(expiry: string, token: string): string {
    // Kept as text: one flat string too when it is Latin-1 (a `+` chain would be a rope).
    const raw = () => (/^[\x00-\xff]*$/.test(token) ? Buffer.from(expiry + RAW + token, 'latin1').toString('latin1') : expiry + RAW + token);
    const parts = token.split('.');
    if (parts.length !== 3 || /[^\x20-\x7e]/.test(token)) return raw();
    const [header, payload, signature] = parts;
    const payloadBytes = Buffer.from(payload, 'base64url');
    const signatureBytes = Buffer.from(signature, 'base64url');
    if (payloadBytes.length >= 36 ** 3) return raw();
    // Only canonical base64url survives the round trip; anything else stays text.
    if (payloadBytes.toString('base64url') !== payload || signatureBytes.toString('base64url') !== signature) return raw();
    let index = this.headerIndex.get(header);
    if (index === undefined) {
      if (this.headers.length >= MAX_HEADERS) return raw();
      index = this.headers.push(header) - 1;
      this.headerIndex.set(header, index);
    }
    const out = Buffer.allocUnsafe(EXPIRY_WIDTH + 4 + payloadBytes.length + signatureBytes.length);
    out.write(expiry, 0, 'latin1');
    out[EXPIRY_WIDTH] = index + 1;
    out.write(payloadBytes.length.toString(36).padStart(3, '0'), EXPIRY_WIDTH + 1, 'latin1');
    payloadBytes.copy(out, EXPIRY_WIDTH + 4);
    signatureBytes.copy(out, EXPIRY_WIDTH + 4 + payloadBytes.length);
    return out.toString('latin1');
  }

  private unpack(value: string, offset: number): string {
    if (value[offset] === RAW) return value.slice(offset + 1);
    const header = this.headers[value.charCodeAt(offset) - 1];
    const payloadLength = parseInt(value.slice(offset + 1, offset + 4), 36);
    const start = offset + 4;
    const payload = Buffer.from(value.slice(start, start + payloadLength), 'latin1').toString('base64url');
    const signature = Buffer.from(value.slice(start + payloadLength), 'latin1').toString('base64url');
    return `${header}.${payload}.${signature}`;
  }
}
