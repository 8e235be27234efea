import { createCipheriv, randomBytes } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { SpectroCloudRefreshSessionError } from '../../src/errors';
import { deriveKey } from '../../src/refreshSession/deriveKey';
import { CHUNK_SIZE, MAX_CHUNKS, SealedSession, type SessionPayload } from '../../src/refreshSession/SealedSession';

/*
 * The sealed refresh cookie: AES-256-GCM with the provider and environment as
 * associated data. Tampering must be caught by the GCM tag, so the tampered
 * cookies here stay perfectly decompressible and parseable: only the tag can
 * tell them from the real thing.
 */
const SECRET = 'unit-client-secret-for-sealing';
const CONTEXT = 'spectrocloud:development';
const PAYLOAD: SessionPayload = { kind: 'id-token', sessionId: 'unit-session', signedInAt: 0, idToken: 'header.aaaaaaaaaaaaaaaa.signature', email: 'alice@example.com' };

function open(session: SealedSession, pieces: string[]) {
  return session.open(pieces[0], index => pieces[index]);
}

function refusal(action: () => unknown): SpectroCloudRefreshSessionError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(SpectroCloudRefreshSessionError);
    return error as SpectroCloudRefreshSessionError;
  }
  throw new Error('expected a refusal');
}

/**
 * Seals like SealedSession does, but with deflate's stored (level 0) blocks:
 * the JSON sits in the ciphertext byte for byte, so a flipped bit changes one
 * character and nothing else (GCM is a stream cipher).
 */
function sealStored(payload: SessionPayload, context = CONTEXT) {
  const json = JSON.stringify(payload);
  const plain = deflateRawSync(json, { level: 0 });
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', deriveKey(SECRET, 'refresh-cookie'), iv);
  cipher.setAAD(Buffer.from(context));
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return { iv, tag: cipher.getAuthTag(), body, plain, json };
}

function asCookie(parts: { iv: Buffer; tag: Buffer; body: Buffer }) {
  return `1.${Buffer.concat([parts.iv, parts.tag, parts.body]).toString('base64url')}`;
}

describe('SealedSession', () => {
  const session = new SealedSession(SECRET, CONTEXT);

  it('opens what it sealed (control)', () => {
    expect(open(session, session.seal(PAYLOAD))).toEqual(PAYLOAD);
  });

  it('opens a cookie built by hand from a known plaintext (control for the tampering below)', () => {
    expect(session.open(asCookie(sealStored(PAYLOAD)), () => undefined)).toEqual(PAYLOAD);
  });

  it('refuses a bit-flipped ciphertext through the GCM tag (ERR_SESSION_INVALID), not through garbled data', () => {
    const sealed = sealStored(PAYLOAD);
    // Turn one "a" of the ID token into "c": still valid deflate and valid JSON.
    const at = sealed.plain.indexOf(Buffer.from('aaaa'));
    const body = Buffer.from(sealed.body);
    body[at] ^= 0x02;
    const tamperedPlain = Buffer.from(sealed.plain);
    tamperedPlain[at] ^= 0x02;
    expect(JSON.parse(inflateRawSync(tamperedPlain).toString()).idToken).toBe('header.caaaaaaaaaaaaaaa.signature');

    const error = refusal(() => session.open(asCookie({ ...sealed, body }), () => undefined));
    expect(error.code).toBe('ERR_SESSION_INVALID');
  });

  it('refuses a cookie whose tag was replaced', () => {
    const sealed = sealStored(PAYLOAD);
    const tag = Buffer.from(sealed.tag);
    tag[0] ^= 0x01;
    expect(refusal(() => session.open(asCookie({ ...sealed, tag }), () => undefined)).code).toBe('ERR_SESSION_INVALID');
  });

  it('refuses a cookie sealed for another environment of the same provider', () => {
    const production = new SealedSession(SECRET, 'spectrocloud:production');
    expect(refusal(() => open(production, session.seal(PAYLOAD))).code).toBe('ERR_SESSION_INVALID');
    expect(refusal(() => production.open(asCookie(sealStored(PAYLOAD)), () => undefined)).code).toBe('ERR_SESSION_INVALID');
  });

  it('refuses a cookie sealed for another provider id', () => {
    const other = new SealedSession(SECRET, 'spectrocloud-eu:development');
    expect(refusal(() => open(other, session.seal(PAYLOAD))).code).toBe('ERR_SESSION_INVALID');
  });

  it('refuses a cookie sealed with another client secret (e.g. after rotation)', () => {
    const rotated = new SealedSession('rotated-client-secret-4711', CONTEXT);
    expect(refusal(() => open(rotated, session.seal(PAYLOAD))).code).toBe('ERR_SESSION_INVALID');
  });

  it('answers ERR_SESSION_MISSING when there is no cookie', () => {
    expect(refusal(() => session.open(undefined, () => undefined)).code).toBe('ERR_SESSION_MISSING');
  });

  it.each([
    ['no piece count', 'abc'],
    ['a count of zero', '0.abc'],
    ['a count above the maximum', `9.abc`],
    ['characters outside base64url', '1.ab+c/'],
    ['a body too short for iv and tag', '1.abc'],
  ])('refuses a first piece with %s as ERR_SESSION_INVALID', (_, first) => {
    expect(refusal(() => session.open(first, () => undefined)).code).toBe('ERR_SESSION_INVALID');
  });

  it('refuses a valid seal whose payload has no ID token', () => {
    const sealed = sealStored({ kind: 'id-token' } as unknown as SessionPayload);
    expect(refusal(() => session.open(asCookie(sealed), () => undefined)).code).toBe('ERR_SESSION_INVALID');
  });

  // Sign-out revokes a session by its id, on every replica: a session without one could not be revoked
  // (and all such sessions would share one revocation key), so a sealed cookie without one is refused.
  it.each([
    ['no session id', (({ sessionId: _, ...rest }) => rest)(PAYLOAD)],
    ['an empty session id', { ...PAYLOAD, sessionId: '' }],
    ['a session id that is not a string', { ...PAYLOAD, sessionId: 42 }],
  ])('refuses a valid seal whose payload has %s as ERR_SESSION_INVALID', (_, payload) => {
    const sealed = sealStored(payload as unknown as SessionPayload);
    expect(refusal(() => session.open(asCookie(sealed), () => undefined)).code).toBe('ERR_SESSION_INVALID');
  });

  describe('pieces', () => {
    const large: SessionPayload = { kind: 'id-token', sessionId: 'unit-session', signedInAt: 0, idToken: randomBytes(9000).toString('base64url') };

    it('splits a large session into pieces below the cookie limit and joins them again', () => {
      const pieces = session.seal(large);
      expect(pieces.length).toBeGreaterThan(1);
      expect(pieces[0].startsWith(`${pieces.length}.`)).toBe(true);
      for (const piece of pieces) expect(piece.length).toBeLessThanOrEqual(CHUNK_SIZE + 2);
      expect(open(session, pieces)).toEqual(large);
    });

    it('refuses when a piece is missing, or pieces are swapped', () => {
      const pieces = session.seal(large);
      expect(refusal(() => session.open(pieces[0], () => undefined)).code).toBe('ERR_SESSION_INVALID');
      const other = session.seal({ ...large, idToken: randomBytes(9000).toString('base64url') });
      expect(refusal(() => session.open(pieces[0], index => other[index])).code).toBe('ERR_SESSION_INVALID');
    });

    it(`refuses to seal a session that needs more than ${MAX_CHUNKS} pieces (ERR_SESSION_TOO_LARGE)`, () => {
      const huge: SessionPayload = { kind: 'id-token', sessionId: 'unit-session', signedInAt: 0, idToken: randomBytes(MAX_CHUNKS * CHUNK_SIZE).toString('base64url') };
      expect(refusal(() => session.seal(huge)).code).toBe('ERR_SESSION_TOO_LARGE');
    });
  });
});
