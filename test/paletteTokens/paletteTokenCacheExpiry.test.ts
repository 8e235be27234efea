import { randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { describe, expect, it } from 'vitest';
import { PaletteTokenCache, type SpectroCloudStore } from '../../src/paletteTokens';
import { registerSecret } from '../support/secrets';

/**
 * A store as a user might write one: it keeps entries until deleted and
 * ignores `expiresAt`. The cache itself must still never serve an expired one.
 */
class NeverExpiringStore implements SpectroCloudStore {
  readonly entries = new Map<string, string>();
  async set(key: string, token: string) {
    this.entries.set(key, token);
  }
  async get(key: string) {
    return this.entries.get(key);
  }
  async delete(key: string) {
    this.entries.delete(key);
  }
  async close() {}
}

const T0 = Date.UTC(2026, 10, 30, 12, 0, 0);
const MINUTE = 60_000;

function paletteToken(): string {
  const token = jwt.sign({ email: 'alice@example.com', exp: T0 / 1000 + 3600 }, randomBytes(32), { algorithm: 'HS256', noTimestamp: true });
  registerSecret(token);
  return token;
}

describe('PaletteTokenCache on a store that does not expire entries', () => {
  it('serves the session before its expiry and refuses the same record after it (frozen clock)', async () => {
    let now = T0;
    const store = new NeverExpiringStore();
    const cache = new PaletteTokenCache({ store, clock: () => now });
    const sessionToken = paletteToken();
    await cache.remember({ userEntityRef: 'user:default/alice', email: 'alice@example.com', sessionToken, expiresAt: T0 + 10 * MINUTE });

    now = T0 + 10 * MINUTE - 1;
    expect((await cache.forUser('user:default/alice'))?.sessionToken).toBe(sessionToken);

    now = T0 + 10 * MINUTE;
    expect(store.entries.size).toBe(2); // still there: only the cache's own check stands between it and a caller
    expect(await cache.forUser('user:default/alice')).toBeUndefined();
    expect(await cache.forEmail('alice@example.com')).toBeUndefined();
  });
});
