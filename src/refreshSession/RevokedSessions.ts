import { randomBytes } from 'node:crypto';
import type { SpectroCloudStore } from '../ttlStore/types';
import type { PendingStoreWrites } from '../ttlStore/pendingWrites';

/** A fresh, unguessable id for one sign-in (128 bits). */
export function newSessionId(): string {
  return randomBytes(16).toString('base64url');
}

/**
 * Sessions ended by sign-out, kept in the configured token store (memory or
 * Redis) so every replica refuses a refresh cookie copied before sign-out.
 * Keys live in their own namespace (`revoked-session:<id>`) beside the
 * Palette tokens and expire with the session they revoke.
 *
 * A revocation the store could not take (outage) waits in `pending` for the
 * background retry; this replica honours it meanwhile. A lookup while the
 * store is down throws its `ERR_TOKEN_STORE_UNAVAILABLE` error: a refresh is
 * refused rather than risk serving a revoked session (fail closed).
 */
export class RevokedSessions {
  constructor(
    private readonly store: SpectroCloudStore,
    private readonly pending: PendingStoreWrites,
  ) {}

  /** Records the sign-out; `until` (epoch ms) is when the session would have ended anyway. */
  revoke(sessionId: string, until: number): Promise<'stored' | 'queued'> {
    const key = revokedKey(sessionId);
    return this.pending.write(key, () => this.store.set(key, '1', until), until);
  }

  async isRevoked(sessionId: string): Promise<boolean> {
    const key = revokedKey(sessionId);
    if (this.pending.has(key)) return true;
    return (await this.store.get(key)) !== undefined;
  }
}

const revokedKey = (sessionId: string) => `revoked-session:${sessionId}`;
