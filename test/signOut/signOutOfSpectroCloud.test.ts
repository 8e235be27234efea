import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_APP_URL, CLIENT_ID, logout, refresh, signIn, startFixture, type Fixture } from '../support/spectroFixture';

describe('signOutOfSpectroCloud: true', () => {
  let fixture: Fixture;
  beforeAll(async () => {
    fixture = await startFixture({ environment: { signOutOfSpectroCloud: true } });
  });
  afterAll(() => fixture?.close());

  it("hands the frontend SpectroCloud's end-session URL with id_token_hint, the app as post_logout_redirect_uri and the client id", async () => {
    const { frame } = await signIn(fixture, 'alice@example.com');
    const { idToken, endSessionUrl } = frame.message.response.providerInfo;
    const url = new URL(endSessionUrl);
    expect(url.origin + url.pathname).toBe(fixture.emulator.endSessionUrl);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      id_token_hint: idToken,
      post_logout_redirect_uri: DEFAULT_APP_URL,
      client_id: CLIENT_ID,
    });
  });

  it('puts the same URL into the /refresh answer, which the frontend reads at sign-out', async () => {
    const { jar, frame } = await signIn(fixture, 'alice@example.com');
    const refreshed = await refresh(fixture, jar, { optional: '' });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.providerInfo.endSessionUrl).toBe(frame.message.response.providerInfo.endSessionUrl);
  });

  it('gives a URL SpectroCloud accepts: it ends its session and returns to the app', async () => {
    const { jar, frame } = await signIn(fixture, 'alice@example.com');
    expect((await logout(fixture, jar)).status).toBe(200);
    const before = fixture.emulator.stats.endSessionRequests;
    const response = await fetch(frame.message.response.providerInfo.endSessionUrl, { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toMatch(new RegExp(`^${DEFAULT_APP_URL}/?$`));
    expect(fixture.emulator.stats.endSessionRequests).toBe(before + 1);
  });
});

describe('without signOutOfSpectroCloud', () => {
  it('keeps the end-session URL out of the session (the default)', async () => {
    const fixture = await startFixture();
    try {
      const { frame } = await signIn(fixture, 'alice@example.com');
      expect(frame.message.response.providerInfo.endSessionUrl).toBeUndefined();
    } finally {
      await fixture.close();
    }
  });

  it('signs in without one, and says so once in the log, when the issuer advertises no end_session_endpoint', async () => {
    const fixture = await startFixture({ environment: { signOutOfSpectroCloud: true }, emulator: { discovery: false } });
    try {
      const first = await signIn(fixture, 'alice@example.com');
      await signIn(fixture, 'alice@example.com');
      expect(first.frame.message.response.providerInfo.endSessionUrl).toBeUndefined();
      expect(fixture.backend.logLines.filter(line => line.includes('names no end_session_endpoint'))).toHaveLength(1);
    } finally {
      await fixture.close();
    }
  });
});
