import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_APP_URL, CLIENT_ID, logout, refresh, signIn, startFixture, type Fixture } from '../support/spectroFixture';

/*
 * The module's /refresh carries providerInfo.endSessionUrl exactly when the
 * legacy handlers' does (test/backend/signOutOfSpectroCloud.test.ts): the
 * frontend reads it there just before POST /logout (src/frontend/endSession.ts).
 */
describe('signOutOfSpectroCloud: true, in the new backend system', () => {
  let fixture: Fixture;
  beforeAll(async () => {
    fixture = await startFixture({ kind: 'new', environment: { signOutOfSpectroCloud: true } });
  });
  afterAll(() => fixture?.close());

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

  it("leaves Backstage's /logout answer as it is (no JSON for a plain-http, non-localhost IdP) and ends the session", async () => {
    const { jar } = await signIn(fixture, 'alice@example.com');
    const out = await logout(fixture, jar);
    expect(out.status).toBe(200);
    expect(out.text).toBe('');
    expect((await refresh(fixture, jar)).status).toBe(401);
  });

  it("keeps Backstage's checks in front: /refresh without X-Requested-With is refused, no URL in the answer", async () => {
    const { jar } = await signIn(fixture, 'alice@example.com');
    const { default: request } = await import('supertest');
    const response = await request(fixture.backend.url).get('/api/auth/spectrocloud/refresh?env=development').set('Cookie', jar.header());
    expect(response.status).toBe(401);
    expect(JSON.stringify(response.body)).not.toContain('end_session');
  });
});

describe('the new backend system without signOutOfSpectroCloud', () => {
  it('keeps the end-session URL out of /refresh (the default)', async () => {
    const fixture = await startFixture({ kind: 'new' });
    try {
      const { jar } = await signIn(fixture, 'alice@example.com');
      const refreshed = await refresh(fixture, jar);
      expect(refreshed.status).toBe(200);
      expect(refreshed.body.providerInfo.endSessionUrl).toBeUndefined();
    } finally {
      await fixture.close();
    }
  });

  it('refreshes without one, and says so once in the log, when the issuer advertises no end_session_endpoint', async () => {
    const fixture = await startFixture({ kind: 'new', environment: { signOutOfSpectroCloud: true }, emulator: { discovery: false } });
    try {
      const { jar } = await signIn(fixture, 'alice@example.com');
      const first = await refresh(fixture, jar);
      await refresh(fixture, jar);
      expect(first.status).toBe(200);
      expect(first.body.providerInfo.endSessionUrl).toBeUndefined();
      expect(fixture.backend.logLines.filter(line => line.includes('names no end_session_endpoint'))).toHaveLength(1);
    } finally {
      await fixture.close();
    }
  });
});
