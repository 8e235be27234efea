import { randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { describe, expect, it } from 'vitest';
import { PackedEntryCodec } from '../../src/ttlStore/packedEntry';
import { registerSecret } from '../support/secrets';

function hs256Token(claims: Record<string, unknown> = {}): string {
  const token = jwt.sign({ email: 'someone@example.com', tenant: 't-1', ...claims }, randomBytes(32), { algorithm: 'HS256', expiresIn: 3600 });
  registerSecret(token);
  return token;
}

describe('PackedEntryCodec', () => {
  const expiresAt = Date.UTC(2030, 0, 1, 12, 0, 0, 123);

  it('returns a session token exactly as stored, in fewer characters than its text', () => {
    const codec = new PackedEntryCodec();
    const token = hs256Token();
    const packed = codec.pack(token, expiresAt);
    expect(codec.unpack(packed)).toBe(token);
    expect(codec.expiresAt(packed)).toBe(expiresAt);
    expect(packed.length).toBeLessThan(token.length * 0.8);
  });

  it('returns tokens with segments of every length class exactly (lengths under 128 take one byte, longer ones three)', () => {
    const codec = new PackedEntryCodec();
    for (const size of [1, 127, 128, 300, 40_000]) {
      const token = hs256Token({ pad: 'x'.repeat(size) });
      const value = `${'p'.repeat(size % 200)}${token} suffix`;
      const packed = codec.pack(value, expiresAt);
      expect(codec.unpack(packed)).toBe(value);
      expect(codec.expiresAt(packed)).toBe(expiresAt);
      expect(packed.length).toBeLessThan(value.length);
    }
  });

  it('packs a token inside a JSON record and returns the record unchanged', () => {
    const codec = new PackedEntryCodec();
    const record = JSON.stringify({ t: hs256Token(), x: expiresAt, e: 'alice@example.com' });
    const packed = codec.pack(record, expiresAt);
    expect(codec.unpack(packed)).toBe(record);
    expect(packed.length).toBeLessThan(record.length);
  });

  it('keeps values it cannot re-encode exactly as text: non-canonical base64url, non-Latin-1, plain strings, empty', () => {
    const codec = new PackedEntryCodec();
    const token = hs256Token();
    const [h, p, s] = token.split('.');
    // The last base64url character of a 32-byte signature carries padding bits; flipping them is non-canonical.
    const nonCanonical = `${h}.${p}.${s.slice(0, -1)}${s.endsWith('A') ? 'B' : 'A'}`;
    for (const value of [nonCanonical, `${token} for Zoë 😀`, 'opaque-token', '', 'a.b.c', `ref:user:default/alice`]) {
      const packed = codec.pack(value, expiresAt);
      expect(codec.unpack(packed)).toBe(value);
      expect(codec.expiresAt(packed)).toBe(expiresAt);
    }
  });

  it('keeps at most 64 distinct JWT headers in its table; later ones stay text and still round-trip', () => {
    const codec = new PackedEntryCodec();
    for (let i = 0; i < 80; i++) {
      const token = jwt.sign({ i }, randomBytes(32), { algorithm: 'HS256', keyid: `kid-${i}` });
      registerSecret(token);
      expect(codec.unpack(codec.pack(token, expiresAt))).toBe(token);
    }
    expect((codec as unknown as { headers: string[] }).headers).toHaveLength(64);
  });

  it('stores expiries from 0 to far in the future, clamping what does not fit in 48 bits', () => {
    const codec = new PackedEntryCodec();
    for (const at of [0, 1, 255, 256, 2 ** 40 + 7, 2 ** 48 - 1]) expect(codec.expiresAt(codec.pack('v', at))).toBe(at);
    expect(codec.expiresAt(codec.pack('v', Number.MAX_SAFE_INTEGER))).toBe(2 ** 48 - 1);
    expect(codec.expiresAt(codec.pack('v', -5))).toBe(0);
  });
});
