import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PackedEntryCodec } from '../../src/ttlStore/packedEntry';

// The memory store packs every value it keeps: looking for a JWT inside a value must stay linear in its length.
// A quadratic search (a pattern retried at every position of a long run without dots) takes minutes on these
// values and fails this file by its timeout; the linear one packs them at once.
describe('PackedEntryCodec with long values', () => {
  it('packs and unpacks a 2 MB value without a JWT in it (an encrypted shared result)', () => {
    const codec = new PackedEntryCodec();
    const value = randomBytes(1_500_000).toString('base64url');
    expect(codec.unpack(codec.pack(value, 1_000))).toBe(value);
  });

  it('still finds a JWT after a long run that is not one', () => {
    const codec = new PackedEntryCodec();
    const header = Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url');
    const jwt = `${header}.${Buffer.from('{"sub":"alice"}').toString('base64url')}.${randomBytes(32).toString('base64url')}`;
    const value = `${randomBytes(30_000).toString('base64url')} ${jwt}`;
    const packed = codec.pack(value, 1_000);
    expect(packed.length).toBeLessThan(value.length); // packed as a JWT, not as text
    expect(codec.unpack(packed)).toBe(value);
  });
});
