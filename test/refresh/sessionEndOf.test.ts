import jwt from 'jsonwebtoken';
import { describe, expect, it } from 'vitest';
import { refreshTokenEnd, sessionEndOf } from '../../src/signInService/sessionLifetime';
import type { SessionLifetime } from '../../src/signInService/sessionLifetime';
import type { SessionPayload } from '../../src/refreshSession/SealedSession';

const NOW = Date.UTC(2026, 11, 7, 12, 0, 0);
const HOUR = 3_600_000;

/** sessionEndOf reads only the configured sessionDuration. */
const partsWith = (sessionDurationMs?: number) => ({ config: { sessionDurationMs } }) as unknown as SessionLifetime;
// Unsigned: sessionEndOf reads the exp of a token the backend verified and sealed itself.
const idTokenExpiringIn = (ms: number) => jwt.sign({ exp: Math.floor((NOW + ms) / 1000) }, 'not-checked-here');
const identity = (idTokenLifetimeMs: number) => ({ sessionId: 's1', signedInAt: NOW, idToken: idTokenExpiringIn(idTokenLifetimeMs) });

describe('sessionEndOf: the end past any silent renewal', () => {
  it('is the ID token expiry for SpectroCloud (no refresh grant) when sessionDuration ends later', () => {
    const payload: SessionPayload = { kind: 'id-token', ...identity(HOUR) };
    expect(sessionEndOf(partsWith(8 * HOUR), payload)).toBe(NOW + HOUR);
  });

  it('is sessionDuration when it ends before the ID token', () => {
    const payload: SessionPayload = { kind: 'id-token', ...identity(3 * HOUR) };
    expect(sessionEndOf(partsWith(HOUR), payload)).toBe(NOW + HOUR);
  });

  it('ignores the ID token of a session a refresh token renews, and ends with the refresh token when its lifetime is known', () => {
    const base = { kind: 'refresh-token', refreshToken: 'r', ...identity(5 * 60_000) } as const;
    expect(sessionEndOf(partsWith(), base)).toBe(Number.POSITIVE_INFINITY);
    expect(sessionEndOf(partsWith(8 * HOUR), base)).toBe(NOW + 8 * HOUR);
    expect(sessionEndOf(partsWith(8 * HOUR), { ...base, refreshTokenEndsAt: NOW + 2 * HOUR })).toBe(NOW + 2 * HOUR);
  });
});

describe('refreshTokenEnd', () => {
  it('reads refresh_expires_in (seconds) when the IdP sends a positive number, and nothing else', () => {
    expect(refreshTokenEnd(NOW, { refresh_expires_in: 1800 })).toBe(NOW + 1_800_000);
    expect(refreshTokenEnd(NOW, { refresh_expires_in: 0 })).toBeUndefined();
    expect(refreshTokenEnd(NOW, { refresh_expires_in: '1800' })).toBeUndefined();
    expect(refreshTokenEnd(NOW, {})).toBeUndefined();
  });
});
