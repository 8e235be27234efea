import { describe, expect, it } from 'vitest';
import type { IdTokenClaims } from '../../src/oidc/IdTokenVerifier';
import { lastGrant, mayReuseGrant, MIN_TOKEN_LIFETIME_LEFT_MS, reusedGrantParams, withRememberedUserInfo } from '../../src/refreshShortcuts/grantReuse';

/*
 * The refresh-grant shortcut: within `refreshGrantInterval` of the last grant,
 * and while its ID and access tokens stay valid, a refresh serves them again
 * instead of asking the IdP. Times are plain numbers: no clock is involved.
 */
const NOW = 1_800_000_000_000;
const INTERVAL = 60_000;
const verified: IdTokenClaims = { sub: 'acct-alice', iat: NOW / 1000, exp: NOW / 1000 + 600, iss: 'https://idp.example', aud: 'client' };

describe('lastGrant', () => {
  it('is fresh until the earlier of the ID token and access token expiries, less a margin', () => {
    expect(lastGrant({ now: NOW, verified, claims: verified }).freshUntil).toBe(verified.exp * 1000 - MIN_TOKEN_LIFETIME_LEFT_MS);
    expect(lastGrant({ now: NOW, verified, claims: verified, expiresIn: 300 }).freshUntil).toBe(NOW + 300_000 - MIN_TOKEN_LIFETIME_LEFT_MS);
  });

  it('ignores an expires_in that is not a number', () => {
    expect(lastGrant({ now: NOW, verified, claims: verified, expiresIn: '300' }).freshUntil).toBe(verified.exp * 1000 - MIN_TOKEN_LIFETIME_LEFT_MS);
  });

  it('remembers only what userinfo added or changed, and nothing when it added nothing', () => {
    const claims = { ...verified, email: 'alice@example.com', name: 'Alice' };
    expect(lastGrant({ now: NOW, verified, claims }).userInfo).toEqual({ email: 'alice@example.com', name: 'Alice' });
    expect(lastGrant({ now: NOW, verified, claims: verified })).not.toHaveProperty('userInfo');
  });
});

describe('mayReuseGrant', () => {
  const grant = lastGrant({ now: NOW, verified, claims: verified });

  it('reuses a grant younger than the interval', () => {
    expect(mayReuseGrant(grant, NOW, INTERVAL)).toBe(true);
    expect(mayReuseGrant(grant, NOW + INTERVAL - 1, INTERVAL)).toBe(true);
  });

  it('asks the IdP again once the interval has passed: this bounds how late an IdP-side revocation is noticed', () => {
    expect(mayReuseGrant(grant, NOW + INTERVAL, INTERVAL)).toBe(false);
  });

  it('never reuses with the interval at 0', () => {
    expect(mayReuseGrant(grant, NOW, 0)).toBe(false);
  });

  it('does not reuse tokens that are about to expire', () => {
    const shortLived = lastGrant({ now: NOW, verified, claims: verified, expiresIn: 90 });
    expect(mayReuseGrant(shortLived, NOW + 29_000, INTERVAL)).toBe(true);
    expect(mayReuseGrant(shortLived, NOW + 30_000, INTERVAL)).toBe(false);
  });

  it('does not reuse a grant dated in the future (the clock moved back), nor a session without one', () => {
    expect(mayReuseGrant(grant, NOW - 1, INTERVAL)).toBe(false);
    expect(mayReuseGrant(undefined, NOW, INTERVAL)).toBe(false);
  });
});

describe('serving a reused grant', () => {
  it('puts the userinfo claims back over the re-verified ID token claims', () => {
    const grant = lastGrant({ now: NOW, verified, claims: { ...verified, email: 'alice@example.com' } });
    expect(withRememberedUserInfo(verified, grant)).toEqual({ ...verified, email: 'alice@example.com' });
  });

  it('tells the app how long the reused tokens have left', () => {
    const grant = lastGrant({ now: NOW, verified, claims: verified, expiresIn: 300 });
    expect(reusedGrantParams(grant, NOW + 10_000)).toEqual({ expires_in: 290 });
  });
});
