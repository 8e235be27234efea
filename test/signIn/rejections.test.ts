import { createPublicKey, generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import request from 'supertest';
import {
  authorize,
  callback,
  CookieJar,
  refresh,
  signIn,
  startFixture,
  BACKEND_KINDS,
  startSignIn,
  type Fixture,
} from '../support/spectroFixture';

/** Signs in with the emulator's ID token replaced; returns the popup's error. */
async function signInWithIdToken(fixture: Fixture, build: Parameters<Fixture['emulator']['setFaults']>[0]['idToken']) {
  fixture.emulator.setFaults({ idToken: build });
  const { frame } = await signIn(fixture, 'alice@example.com');
  return frame.message;
}

const now = () => Math.floor(Date.now() / 1000);

/** The code of the backend's last "sign-in failed" log line: the popup shows only name and message. */
function lastFailureCode(fixture: Fixture): string | undefined {
  const line = [...fixture.backend.logLines].reverse().find(entry => entry.includes('SpectroCloud sign-in failed: '));
  return line ? /sign-in failed: (ERR_[A-Z_]+)/.exec(line)?.[1] : undefined;
}

// One suite, two backends: the legacy router and the new backend system's module share the core.
describe.each(BACKEND_KINDS)('every rejection path (%s backend)', kind => {
  let fixture: Fixture;
  beforeAll(async () => {
    fixture = await startFixture({ kind, environment: { timeout: 1500 } });
  });
  afterEach(() => fixture.emulator.resetFaults());
  afterAll(() => fixture?.close());

  it('accepts a normal sign-in (control for the cases below)', async () => {
    const { frame } = await signIn(fixture);
    expect(frame.message.error).toBeUndefined();
  });

  describe('ID token verification', () => {
    it('rejects a token signed by a key SpectroCloud does not hold', async () => {
      const foreign = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
      const message = await signInWithIdToken(fixture, ({ claims, sign }) => sign(claims, { key: foreign }));
      expect(message.error?.name).toBe('SpectroCloudTokenError');
      expect(message.error?.message).toContain('signature is invalid');
      expect(lastFailureCode(fixture)).toBe('ERR_ID_TOKEN_SIGNATURE');
    });

    it('rejects alg none', async () => {
      const message = await signInWithIdToken(fixture, ({ claims, sign }) => sign(claims, { alg: 'none' }));
      expect(message.error?.message).toMatch(/algorithm "none"|not allowed/);
      expect(lastFailureCode(fixture)).toBe('ERR_ID_TOKEN_ALGORITHM');
    });

    it('rejects HS256 signed with the RSA public key', async () => {
      const message = await signInWithIdToken(fixture, ({ claims, sign }) => {
        const pem = jwkToPem(fixture.emulator.jwks.keys[0]);
        return sign(claims, { alg: 'HS256', key: Buffer.from(pem) });
      });
      expect(message.error?.message).toMatch(/algorithm "HS256".*not allowed/);
      expect(lastFailureCode(fixture)).toBe('ERR_ID_TOKEN_ALGORITHM');
    });

    it('rejects a token from another issuer', async () => {
      const message = await signInWithIdToken(fixture, ({ claims, sign }) => sign({ ...claims, iss: 'https://evil.example.com' }));
      expect(message.error?.message).toContain('unexpected "iss" claim value');
      expect(lastFailureCode(fixture)).toBe('ERR_ID_TOKEN_CLAIM');
    });

    it('rejects a token issued to another client', async () => {
      const message = await signInWithIdToken(fixture, ({ claims, sign }) => sign({ ...claims, aud: 'other-client', azp: 'other-client' }));
      expect(message.error?.message).toContain('unexpected "aud" claim value');
      expect(lastFailureCode(fixture)).toBe('ERR_ID_TOKEN_CLAIM');
    });

    it('rejects several audiences without azp', async () => {
      const message = await signInWithIdToken(fixture, ({ claims, sign }) => {
        const { azp: _azp, ...rest } = claims;
        return sign({ ...rest, aud: [claims.aud as string, 'other-client'] });
      });
      expect(message.error?.message).toContain('missing required "azp" claim');
      expect(lastFailureCode(fixture)).toBe('ERR_ID_TOKEN_CLAIM');
    });

    it('rejects an azp naming another client', async () => {
      const message = await signInWithIdToken(fixture, ({ claims, sign }) => sign({ ...claims, aud: [claims.aud as string, 'x'], azp: 'x' }));
      expect(message.error?.message).toContain('unexpected "azp" claim value');
      expect(lastFailureCode(fixture)).toBe('ERR_ID_TOKEN_CLAIM');
    });

    it('rejects an expired token', async () => {
      const message = await signInWithIdToken(fixture, ({ claims, sign }) => sign({ ...claims, iat: now() - 7200, exp: now() - 3600 }));
      expect(message.error?.message).toContain('ID token has expired');
      expect(lastFailureCode(fixture)).toBe('ERR_ID_TOKEN_EXPIRED');
    });

    it('rejects an iat in the future beyond the clock tolerance', async () => {
      const message = await signInWithIdToken(fixture, ({ claims, sign }) => sign({ ...claims, iat: now() + 600, exp: now() + 4000 }));
      expect(message.error?.message).toContain('"iat" claim is in the future');
      expect(lastFailureCode(fixture)).toBe('ERR_ID_TOKEN_CLAIM');
    });

    it('accepts an iat slightly in the future within the tolerance', async () => {
      const message = await signInWithIdToken(fixture, ({ claims, sign }) => sign({ ...claims, iat: now() + 5 }));
      expect(message.error).toBeUndefined();
    });

    it('rejects a token without nonce', async () => {
      const message = await signInWithIdToken(fixture, ({ claims, sign }) => {
        const { nonce: _nonce, ...rest } = claims;
        return sign(rest);
      });
      expect(message.error?.message).toContain('missing required "nonce" claim');
      expect(lastFailureCode(fixture)).toBe('ERR_ID_TOKEN_CLAIM');
    });

    it('rejects a token whose nonce belongs to another sign-in', async () => {
      const message = await signInWithIdToken(fixture, ({ claims, sign }) => sign({ ...claims, nonce: 'A'.repeat(43) }));
      expect(message.error?.message).toContain('unexpected "nonce" claim value');
      expect(lastFailureCode(fixture)).toBe('ERR_ID_TOKEN_CLAIM');
    });

    it('rejects a response without an ID token', async () => {
      const message = await signInWithIdToken(fixture, () => '');
      expect(message.error?.message).toMatch(/no ID token/);
      expect(lastFailureCode(fixture)).toBe('ERR_ID_TOKEN_MISSING');
    });

    it('rejects a garbage ID token', async () => {
      const message = await signInWithIdToken(fixture, () => 'not-a-jwt');
      expect(message.error?.message).toMatch(/malformed/);
      expect(lastFailureCode(fixture)).toBe('ERR_ID_TOKEN_INVALID');
    });

    it('fills a missing email from userinfo when userinfo is about the same subject', async () => {
      const message = await signInWithIdToken(fixture, ({ claims, sign }) => {
        const { email: _email, name: _name, ...rest } = claims;
        return sign(rest);
      });
      expect(message.error).toBeUndefined();
      expect(message.response.profile.email).toBe('alice@example.com');
    });

    it('rejects userinfo about another subject', async () => {
      const message = await signInWithIdToken(fixture, ({ claims, sign }) => {
        const { email: _email, ...rest } = claims;
        return sign({ ...rest, sub: 'someone-else' });
      });
      expect(message.error?.message).toContain('userinfo answer is for another subject');
    });

    it('rejects a token without an email with a clear error when no userinfo is known', async () => {
      const noDiscovery = await startFixture({ kind, emulator: { discovery: false } });
      try {
        noDiscovery.emulator.setFaults({
          idToken: ({ claims, sign }) => {
            const { email: _email, ...rest } = claims;
            return sign(rest);
          },
        });
        const { frame } = await signIn(noDiscovery);
        expect(frame.message.error?.message).toContain('no "email" claim');
        expect(lastFailureCode(noDiscovery)).toBe('ERR_PROFILE_NO_EMAIL');
      } finally {
        await noDiscovery.close();
      }
    });
  });

  describe('browser binding', () => {
    it('rejects a callback whose nonce cookie belongs to another sign-in', async () => {
      const jarA = new CookieJar();
      const jarB = new CookieJar();
      await startSignIn(fixture, jarA);
      const startB = await startSignIn(fixture, jarB);
      const callbackB = await authorize(startB.headers.location, 'alice@example.com');
      const frame = await callback(fixture, jarA, callbackB);
      expect(frame.message.error?.message).toMatch(/nonce/i);
    });

    it('rejects a callback without the nonce cookie', async () => {
      const start = await startSignIn(fixture, new CookieJar());
      const callbackUrl = await authorize(start.headers.location, 'alice@example.com');
      const frame = await callback(fixture, new CookieJar(), callbackUrl);
      expect(frame.message.error?.message).toMatch(/missing cookie nonce|cookie/i);
    });

    it('rejects an injected code from another browser (PKCE verifier bound to the cookie)', async () => {
      const victim = new CookieJar();
      const attacker = new CookieJar();
      const victimStart = await startSignIn(fixture, victim);
      const attackerStart = await startSignIn(fixture, attacker);
      const attackerCallback = new URL(await authorize(attackerStart.headers.location, 'carol@example.com'));
      const victimState = new URL(victimStart.headers.location).searchParams.get('state')!;
      attackerCallback.searchParams.set('state', victimState);
      const frame = await callback(fixture, victim, attackerCallback.toString());
      expect(frame.message.error?.name).toBe('SpectroCloudIdpError');
      expect(frame.message.error?.message).toContain('invalid_grant');
      expect(lastFailureCode(fixture)).toBe('ERR_TOKEN_REJECTED');
    });
  });

  describe('callback and IdP failures', () => {
    it('rejects a callback without code', async () => {
      const jar = new CookieJar();
      const start = await startSignIn(fixture, jar);
      const state = new URL(start.headers.location).searchParams.get('state')!;
      const frame = await callback(fixture, jar, `${fixture.providerBase}/handler/frame?state=${encodeURIComponent(state)}`);
      expect(frame.message.error?.message).toContain('no authorization code');
      expect(lastFailureCode(fixture)).toBe('ERR_MISSING_CODE');
    });

    it('shows a denial by SpectroCloud as a readable error', async () => {
      fixture.emulator.setFaults({ deny: true });
      const jar = new CookieJar();
      const start = await startSignIn(fixture, jar);
      const denied = await fetch(start.headers.location, { redirect: 'manual' });
      const frame = await callback(fixture, jar, denied.headers.get('location')!);
      expect(frame.message.error?.message).toMatch(/denied by SpectroCloud \(access_denied/);
      expect(lastFailureCode(fixture)).toBe('ERR_IDP_DENIED');
    });

    it('shows other IdP error parameters with their code', async () => {
      const jar = new CookieJar();
      const start = await startSignIn(fixture, jar);
      const state = new URL(start.headers.location).searchParams.get('state')!;
      const frame = await callback(
        fixture,
        jar,
        `${fixture.providerBase}/handler/frame?error=login_required&error_description=Login+required&state=${encodeURIComponent(state)}`,
      );
      expect(frame.message.error?.message).toContain('login_required');
      expect(lastFailureCode(fixture)).toBe('ERR_IDP_ERROR');
    });

    it('reports a token endpoint 500 by its status', async () => {
      fixture.emulator.setFaults({ tokenStatus: 500 });
      const { frame } = await signIn(fixture);
      expect(frame.message.error?.message).toMatch(/token endpoint .*500/);
      expect(lastFailureCode(fixture)).toBe('ERR_TOKEN_ENDPOINT_STATUS');
    });

    it('times out a silent token endpoint', async () => {
      fixture.emulator.setFaults({ tokenDelayMs: 4000 });
      const { frame } = await signIn(fixture);
      expect(frame.message.error?.message).toContain('did not answer within 1500 ms');
      expect(lastFailureCode(fixture)).toBe('ERR_TIMEOUT');
    });

    it('reports an unreachable JWKS endpoint', async () => {
      const isolated = await startFixture({ kind });
      try {
        isolated.emulator.setFaults({ jwksDown: true });
        const { frame } = await signIn(isolated);
        expect(frame.message.error?.message).toContain('signing keys');
        expect(lastFailureCode(isolated)).toBe('ERR_JWKS_UNAVAILABLE');
      } finally {
        await isolated.close();
      }
    });

    it('rejects a user the catalog does not know, naming the resolvers tried', async () => {
      const { frame } = await signIn(fixture, 'carol@example.com');
      expect(frame.message.error?.message).toContain(
        'tried emailMatchingUserEntityProfileEmail, emailLocalPartMatchingUserEntityName',
      );
    });

    it('keeps serving after all of the above', async () => {
      const { frame } = await signIn(fixture);
      expect(frame.message.response.backstageIdentity.identity.userEntityRef).toBe('user:default/alice');
    });
  });

  describe('refresh cookie', () => {
    it('refuses a forged refresh cookie', async () => {
      const response = await request(fixture.backend.url)
        .get('/api/auth/spectrocloud/refresh?env=development')
        .set('X-Requested-With', 'XMLHttpRequest')
        .set('Cookie', `spectrocloud-refresh-token=1.${'A'.repeat(200)}`);
      expect(response.status).toBe(401);
      expect(JSON.stringify(response.body)).not.toContain('backstageIdentity');
    });

    it('refuses an altered refresh cookie', async () => {
      const { jar } = await signIn(fixture);
      const value = jar.values.get('spectrocloud-refresh-token')!;
      const flipped = value.slice(0, 40) + (value[40] === 'A' ? 'B' : 'A') + value.slice(41);
      jar.values.set('spectrocloud-refresh-token', flipped);
      const response = await refresh(fixture, jar);
      expect(response.status).toBe(401);
    });

    it('refuses a raw ID token planted as the refresh cookie', async () => {
      const { frame } = await signIn(fixture);
      const response = await request(fixture.backend.url)
        .get('/api/auth/spectrocloud/refresh?env=development')
        .set('X-Requested-With', 'XMLHttpRequest')
        .set('Cookie', `spectrocloud-refresh-token=${frame.message.response.providerInfo.idToken}`);
      expect(response.status).toBe(401);
    });

    it('answers "session expired, sign in again" once the ID token has expired', async () => {
      const strict = await startFixture({ kind, environment: { clockTolerance: 0 } });
      try {
        const exp = now() + 60;
        strict.emulator.setFaults({ idToken: ({ claims, sign }) => sign({ ...claims, exp }) });
        const session = await signIn(strict);
        expect(session.frame.message.error).toBeUndefined();
        // No waiting: the backend's clock (Date) moves one second past the token's expiry.
        vi.useFakeTimers({ toFake: ['Date'] });
        vi.setSystemTime((exp + 1) * 1000);
        const response = await refresh(strict, session.jar);
        expect(response.status).toBe(401);
        expect(JSON.stringify(response.body)).toContain('Your SpectroCloud session has expired; sign in again');
        expect(JSON.stringify(response.body)).not.toContain('backstageIdentity');
      } finally {
        vi.useRealTimers();
        await strict.close();
      }
    });
  });

  describe('key rotation', () => {
    it('fetches a new kid once and accepts tokens signed with it', async () => {
      await signIn(fixture);
      const before = fixture.emulator.stats.jwksRequests;
      fixture.emulator.rotateKeys({ keepOld: true });
      const first = await signIn(fixture);
      const second = await signIn(fixture);
      expect(first.frame.message.error).toBeUndefined();
      expect(second.frame.message.error).toBeUndefined();
      expect(fixture.emulator.stats.jwksRequests - before).toBe(1);
    });
  });
});

/** The PEM an attacker would use as an HMAC secret: it is public. */
function jwkToPem(jwk: Record<string, unknown>): string {
  return createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString();
}
