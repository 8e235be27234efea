import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { SpectroCloudRefreshSessionError } from '../errors';
import type { LastGrant } from '../refreshShortcuts/grantReuse';
import { deriveKey } from './deriveKey';

/** What the refresh cookie holds between sign-in and sign-out. */
export type SessionPayload = SessionIdentity &
  (
    | /** SpectroCloud: no refresh grant exists; the verified ID token is served until it expires. */
    { kind: 'id-token' }
    | /** A standard OIDC server: a real refresh token, plus the last ID token. */
    {
      kind: 'refresh-token';
      refreshToken: string;
      lastGrant?: LastGrant;
      /** epoch ms when the IdP said the refresh token expires (`refresh_expires_in`), when it said so */
      refreshTokenEndsAt?: number;
    }
  );

interface SessionIdentity {
  /** random id of this sign-in: sign-out records it as revoked, for every replica */
  sessionId: string;
  /** epoch ms of the sign-in; `sessionDuration` counts from here, refreshes keep it */
  signedInAt: number;
  idToken: string;
  accessToken?: string;
  /** who signed in, so sign-out can drop their Palette token */
  userEntityRef?: string;
  email?: string;
}

/** Browsers drop cookies over 4096 bytes: keep each piece well below. */
export const CHUNK_SIZE = 3800;
export const MAX_CHUNKS = 8;

/**
 * Seals the session into the refresh cookie with AES-256-GCM (compressed
 * first), so it is neither readable nor forgeable by the browser, and
 * splits it into pieces when an ID token with many groups makes it large.
 * The first piece, `<count>.<data>`, is what the OAuthAdapter stores; the
 * others go to `<cookie>-1`, `<cookie>-2`, ...
 */
export class SealedSession {
  private readonly key: Buffer;

  constructor(clientSecret: string, private readonly context: string) {
    this.key = deriveKey(clientSecret, 'refresh-cookie');
  }

  seal(payload: SessionPayload): string[] {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(this.context));
    const body = Buffer.concat([cipher.update(deflateRawSync(JSON.stringify(payload))), cipher.final()]);
    const sealed = Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
    const pieces: string[] = [];
    for (let offset = 0; offset < sealed.length; offset += CHUNK_SIZE) pieces.push(sealed.slice(offset, offset + CHUNK_SIZE));
    if (pieces.length > MAX_CHUNKS) {
      throw new SpectroCloudRefreshSessionError('ERR_SESSION_TOO_LARGE', 'The SpectroCloud session is too large to keep in cookies (ID token over 30 KB)');
    }
    pieces[0] = `${pieces.length}.${pieces[0]}`;
    return pieces;
  }

  /** `first`: the adapter's refresh cookie; `piece(i)`: reads the i-th extra cookie. */
  open(first: string | undefined, piece: (index: number) => string | undefined): SessionPayload {
    const invalid = () =>
      new SpectroCloudRefreshSessionError('ERR_SESSION_INVALID', 'The SpectroCloud session cookie is invalid; sign in again');
    if (!first) throw new SpectroCloudRefreshSessionError('ERR_SESSION_MISSING', 'There is no SpectroCloud session in this browser; sign in');
    const match = /^(\d)\.([A-Za-z0-9_-]+)$/.exec(first);
    if (!match) throw invalid();
    const count = Number(match[1]);
    if (count < 1 || count > MAX_CHUNKS) throw invalid();
    let sealed = match[2];
    for (let index = 1; index < count; index++) {
      const next = piece(index);
      if (!next) throw invalid();
      sealed += next;
    }
    try {
      const raw = Buffer.from(sealed, 'base64url');
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
      decipher.setAAD(Buffer.from(this.context));
      decipher.setAuthTag(raw.subarray(12, 28));
      const plain = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]);
      const payload = JSON.parse(inflateRawSync(plain).toString('utf8')) as SessionPayload;
      // A session without an id (sealed before sessions had one, or with an empty one) cannot be revoked: refuse it.
      if (typeof payload?.idToken !== 'string' || typeof payload.sessionId !== 'string' || payload.sessionId === '' || typeof payload.signedInAt !== 'number') {
        throw invalid();
      }
      return payload;
    } catch {
      throw invalid();
    }
  }
}
