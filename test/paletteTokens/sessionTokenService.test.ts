import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionTokenPlugin } from '../support/sessionTokenPlugin';
import request from 'supertest';
import { logout, signIn, startFixture, type Fixture } from '../support/spectroFixture';


const tail = (token: string | undefined) => token?.slice(-12);

describe('the session-token service of the new backend system', () => {
  let fixture: Fixture;
  beforeAll(async () => {
    // apiTokenCookie: the tests compare the plugin's token with the one the browser got
    fixture = await startFixture({ kind: 'new', plugins: [sessionTokenPlugin], tokenStore: { apiTokenCookie: true } });
  });
  afterAll(() => fixture?.close());

  async function signedIn(email: string) {
    const { jar, frame } = await signIn(fixture, email);
    return { jar, token: frame.message.response.backstageIdentity.token as string, sessionToken: jar.values.get('spectrocloud-api-token') };
  }
  const whoami = (token: string, path = '/api/spectrocloud/whoami') =>
    request(fixture.backend.url).get(path).set('Authorization', `Bearer ${token}`);

  it("gives another plugin the signed-in user's own SpectroCloud session token", async () => {
    const alice = await signedIn('alice@example.com');
    expect(fixture.emulator.verifySessionToken(alice.sessionToken!)).toMatchObject({ email: 'alice@example.com' });
    const response = await whoami(alice.token);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ userEntityRef: 'user:default/alice', tokenTail: tail(alice.sessionToken) });
    expect((await whoami(alice.token, '/api/spectrocloud/direct')).body).toEqual({ userEntityRef: 'user:default/alice' });
  });

  it("never hands Alice Bob's token: each caller gets their own, a header naming Bob is refused with 403", async () => {
    const alice = await signedIn('alice@example.com');
    const bob = await signedIn('bob@example.com');
    expect((await whoami(bob.token)).body).toEqual({ userEntityRef: 'user:default/bobby', tokenTail: tail(bob.sessionToken) });
    const spoofed = await whoami(alice.token).set('X-SpectroCloud-User-Email', 'bob@example.com');
    expect(spoofed.status).toBe(403);
    expect(JSON.stringify(spoofed.body)).not.toContain(tail(bob.sessionToken)!);
  });

  it('answers 401 with X-SpectroCloud-ReAuth-Required once the user signed out', async () => {
    const alice = await signedIn('alice@example.com');
    expect((await logout(fixture, alice.jar)).status).toBe(200);
    const response = await whoami(alice.token);
    expect(response.status).toBe(401);
    expect(response.headers['x-spectrocloud-reauth-required']).toBe('true');
    expect(response.body.error.code).toBe('ERR_SPECTROCLOUD_REAUTH_REQUIRED');
  });

  it('refuses a request without a Backstage user token', async () => {
    const response = await request(fixture.backend.url).get('/api/spectrocloud/whoami');
    expect(response.status).toBe(401);
    expect(response.headers['x-spectrocloud-reauth-required']).toBeUndefined();
  });
});
