import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BACKEND_KINDS, CLIENT_ID, CLIENT_SECRET, CookieJar, DEFAULT_APP_URL, authorize, callback, signIn, startFixture, startSignIn, type Fixture,
} from '../support/spectroFixture';

/*
 * Over https the sign-in is bound to a `__Host-` cookie as well as to the
 * adapter's `<id>-nonce` cookie (src/signInService/BrowserBinding.ts). The
 * backend's callbackUrl is https (as behind a TLS-terminating proxy); the
 * requests go to it over loopback with a cookie jar that plays the browser.
 * Each refusal is ERR_BROWSER_BINDING, before any code exchange.
 */
const CALLBACK = 'https://auth.example.test/api/auth/spectrocloud/handler/frame';
const HOST_COOKIE = '__Host-spectrocloud-sign-in';

function lastFailureCode(fixture: Fixture): string | undefined {
  const line = [...fixture.backend.logLines].reverse().find(entry => entry.includes('SpectroCloud sign-in failed: '));
  return line ? /sign-in failed: (ERR_[A-Z_]+)/.exec(line)?.[1] : undefined;
}

function overHttps(kind: 'legacy' | 'new') {
  return startFixture({
    kind,
    environment: { callbackUrl: CALLBACK },
    emulator: { clients: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [CALLBACK], postLogoutRedirectUris: [DEFAULT_APP_URL] }] },
  });
}

describe.each(BACKEND_KINDS)('the __Host- sign-in cookie over https (%s backend)', kind => {
  let fixture: Fixture;
  beforeAll(async () => {
    fixture = await overHttps(kind);
  });
  afterAll(() => fixture?.close());

  it('/start sets it Secure, HttpOnly, Path=/ and without Domain; the same browser signs in (control)', async () => {
    const jar = new CookieJar();
    const start = await startSignIn(fixture, jar);
    const setCookie = ([] as string[]).concat(start.headers['set-cookie'] ?? []).find(header => header.startsWith(`${HOST_COOKIE}=`));
    expect(setCookie).toBeDefined();
    const attributes = setCookie!.split(';').slice(1).map(a => a.trim().toLowerCase());
    expect(attributes).toEqual(expect.arrayContaining(['path=/', 'httponly', 'secure']));
    expect(attributes.some(a => a.startsWith('domain='))).toBe(false);
    expect(jar.values.has(HOST_COOKIE)).toBe(true);
    const frame = await callback(fixture, jar, await authorize(start.headers.location, 'alice@example.com'));
    expect(frame.message.error).toBeUndefined();
    expect(frame.message.response.profile.email).toBe('alice@example.com');
    // Spent at the callback: cleared, so it is not sent with every later request to the backend.
    expect(jar.values.has(HOST_COOKIE)).toBe(false);
  });

  it('refuses a callback whose browser has the nonce cookie but no __Host- cookie', async () => {
    const jar = new CookieJar();
    const start = await startSignIn(fixture, jar);
    const callbackUrl = await authorize(start.headers.location, 'alice@example.com');
    jar.values.delete(HOST_COOKIE);
    const frame = await callback(fixture, jar, callbackUrl);
    expect(frame.message.error?.name).toBe('SpectroCloudRequestError');
    expect(frame.message.error?.message).toContain(`${HOST_COOKIE} cookie is missing`);
    expect(lastFailureCode(fixture)).toBe('ERR_BROWSER_BINDING');
  });

  it('refuses a callback whose __Host- cookie belongs to another sign-in', async () => {
    const other = new CookieJar();
    await startSignIn(fixture, other);
    const jar = new CookieJar();
    const start = await startSignIn(fixture, jar);
    const callbackUrl = await authorize(start.headers.location, 'alice@example.com');
    jar.values.set(HOST_COOKIE, other.values.get(HOST_COOKIE)!);
    const frame = await callback(fixture, jar, callbackUrl);
    expect(frame.message.error?.message).toContain('do not belong together');
    expect(lastFailureCode(fixture)).toBe('ERR_BROWSER_BINDING');
  });

  it("login CSRF: the attacker's nonce cookie planted in the victim's browser with the attacker's callback URL signs no one in", async () => {
    // The attacker starts a sign-in of their own and stops at the callback URL.
    const attacker = new CookieJar();
    const attackerStart = await startSignIn(fixture, attacker);
    const attackerCallback = await authorize(attackerStart.headers.location, 'bob@example.com');
    // The victim had started a sign-in (own nonce and __Host- cookies); a sibling subdomain overwrites the nonce cookie.
    const victim = new CookieJar();
    await startSignIn(fixture, victim);
    victim.values.set('spectrocloud-nonce', attacker.values.get('spectrocloud-nonce')!);
    const frame = await callback(fixture, victim, attackerCallback);
    expect(frame.message.response).toBeUndefined();
    expect(frame.message.error?.message).toContain('do not belong together');
    expect(lastFailureCode(fixture)).toBe('ERR_BROWSER_BINDING');
    // A victim who never started a sign-in has no __Host- cookie at all.
    const fresh = new CookieJar();
    fresh.values.set('spectrocloud-nonce', attacker.values.get('spectrocloud-nonce')!);
    const second = await callback(fixture, fresh, attackerCallback);
    expect(second.message.error?.message).toContain(`${HOST_COOKIE} cookie is missing`);
  });
});

describe('over plain http (development)', () => {
  let fixture: Fixture;
  beforeAll(async () => {
    fixture = await startFixture();
  });
  afterAll(() => fixture?.close());

  it('sets no __Host- cookie (browsers refuse one from an http origin) and the nonce cookie alone binds the sign-in', async () => {
    const { start, frame } = await signIn(fixture);
    const names = ([] as string[]).concat(start.headers['set-cookie'] ?? []).map(header => header.split('=')[0]);
    expect(names).toContain('spectrocloud-nonce');
    expect(names).not.toContain(HOST_COOKIE);
    expect(frame.message.error).toBeUndefined();
  });
});
