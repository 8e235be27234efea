import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { BACKEND_KINDS, DEFAULT_APP_URL, CLIENT_ID, logout, refresh, signIn, startFixture, type Fixture } from '../support/spectroFixture';

/*
 * One behaviour, two backends: /refresh carries providerInfo.endSessionUrl
 * exactly when signOutOfSpectroCloud is on, and the frontend reads it there
 * just before POST /logout (src/frontend/endSession.ts). The legacy handlers
 * also put it into the sign-in popup's answer; cases that hold for one
 * backend only say so in their name.
 */
describe.each(BACKEND_KINDS)('signOutOfSpectroCloud: true (%s backend)', kind => {
  let fixture: Fixture;
  beforeAll(async () => {
    fixture = await startFixture({ kind, environment: { signOutOfSpectroCloud: true } });
  });
  afterAll(() => fixture?.close());

  // The popup's answer carries the URL only on the legacy backend (the new system's route handlers build it themselves).
  if (kind === 'legacy') {
    it(
      "hands the frontend SpectroCloud's end-session URL with id_token_hint, the app as post_logout_redirect_uri and the client id (legacy: in the popup's answer)",
      async () => {
        const { frame } = await signIn(fixture, 'alice@example.com');
        const { idToken, endSessionUrl } = frame.message.response.providerInfo;
        const url = new URL(endSessionUrl);
        expect(url.origin + url.pathname).toBe(fixture.emulator.endSessionUrl);
        expect(Object.fromEntries(url.searchParams)).toEqual({
          id_token_hint: idToken,
          post_logout_redirect_uri: DEFAULT_APP_URL,
          client_id: CLIENT_ID,
        });
      },
    );

    it('puts the same URL into the /refresh answer, which the frontend reads at sign-out (legacy: same as the popup\'s)', async () => {
      const { jar, frame } = await signIn(fixture, 'alice@example.com');
      const refreshed = await refresh(fixture, jar, { optional: '' });
      expect(refreshed.status).toBe(200);
      expect(refreshed.body.providerInfo.endSessionUrl).toBe(frame.message.response.providerInfo.endSessionUrl);
    });
  }

  it("puts SpectroCloud's end-session URL into /refresh's providerInfo, with id_token_hint, the app and the client id", async () => {
    const { jar } = await signIn(fixture, 'alice@example.com');
    const refreshed = await refresh(fixture, jar, { optional: '' });
    expect(refreshed.status).toBe(200);
    const { idToken, endSessionUrl } = refreshed.body.providerInfo;
    const url = new URL(endSessionUrl);
    expect(url.origin + url.pathname).toBe(fixture.emulator.endSessionUrl);
    expect(Object.fromEntries(url.searchParams)).toEqual({ id_token_hint: idToken, post_logout_redirect_uri: DEFAULT_APP_URL, client_id: CLIENT_ID });
    // Backstage's own fields are all still there, beside ours (endSessionUrl, sessionEndsInSeconds).
    expect(Object.keys(refreshed.body.providerInfo).sort()).toEqual(['accessToken', 'endSessionUrl', 'expiresInSeconds', 'idToken', 'scope', 'sessionEndsInSeconds']);
    expect(refreshed.body.backstageIdentity.identity.userEntityRef).toBe('user:default/alice');
  });

  it('gives a URL SpectroCloud accepts: it ends its session and returns to the app', async () => {
    const { jar } = await signIn(fixture, 'alice@example.com');
    const { endSessionUrl } = (await refresh(fixture, jar, { optional: '' })).body.providerInfo;
    expect((await logout(fixture, jar)).status).toBe(200);
    const before = fixture.emulator.stats.endSessionRequests;
    const response = await fetch(endSessionUrl, { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toMatch(new RegExp(`^${DEFAULT_APP_URL}/?$`));
    expect(fixture.emulator.stats.endSessionRequests).toBe(before + 1);
  });

  it("leaves Backstage's /logout answer as it is (no JSON for a plain-http, non-localhost IdP) and ends the session", async () => {
    const { jar } = await signIn(fixture, 'alice@example.com');
    const out = await logout(fixture, jar);
    expect(out.status).toBe(200);
    expect(out.text).toBe('');
    expect((await refresh(fixture, jar)).status).toBe(401);
  });

  it("keeps Backstage's checks in front: /refresh without X-Requested-With is refused, no URL in the answer", async () => {
    const { jar } = await signIn(fixture, 'alice@example.com');
    const response = await request(fixture.backend.url).get('/api/auth/spectrocloud/refresh?env=development').set('Cookie', jar.header());
    expect(response.status).toBe(401);
    expect(JSON.stringify(response.body)).not.toContain('end_session');
  });
});

describe.each(BACKEND_KINDS)('without signOutOfSpectroCloud (%s backend)', kind => {
  it('keeps the end-session URL out of the session (the default): not in the popup, not in /refresh', async () => {
    const fixture = await startFixture({ kind });
    try {
      const { jar, frame } = await signIn(fixture, 'alice@example.com');
      expect(frame.message.response.providerInfo.endSessionUrl).toBeUndefined();
      const refreshed = await refresh(fixture, jar);
      expect(refreshed.status).toBe(200);
      expect(refreshed.body.providerInfo.endSessionUrl).toBeUndefined();
    } finally {
      await fixture.close();
    }
  });

  it('signs in and refreshes without one, and says so once in the log, when the issuer advertises no end_session_endpoint', async () => {
    const fixture = await startFixture({ kind, environment: { signOutOfSpectroCloud: true }, emulator: { discovery: false } });
    try {
      const first = await signIn(fixture, 'alice@example.com');
      await signIn(fixture, 'alice@example.com');
      const refreshed = await refresh(fixture, first.jar);
      await refresh(fixture, first.jar);
      expect(first.frame.message.response.providerInfo.endSessionUrl).toBeUndefined();
      expect(refreshed.status).toBe(200);
      expect(refreshed.body.providerInfo.endSessionUrl).toBeUndefined();
      expect(fixture.backend.logLines.filter(line => line.includes('names no end_session_endpoint'))).toHaveLength(1);
    } finally {
      await fixture.close();
    }
  });
});
