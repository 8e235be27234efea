import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SealedSession } from '../../src/refreshSession/SealedSession';
import { registerSecret } from '../support/secrets';
import { CLIENT_SECRET, refresh, signIn, startFixture, type Fixture } from '../support/spectroFixture';

/*
 * A rule of the security core that a one-line break used to slip past: the
 * case here fails when its rule is removed by hand.
 */
describe('a stored ID token is verified again on /refresh', () => {
  let fixture: Fixture;
  beforeAll(async () => {
    fixture = await startFixture();
  });
  afterAll(() => fixture?.close());

  it('refuses a sealed session whose ID token has a bad signature (not only an expired one)', async () => {
    const { jar } = await signIn(fixture);
    // The test holds the client secret, so it can seal what a compromised cookie store would hold.
    const sealed = new SealedSession(CLIENT_SECRET, 'spectrocloud:development');
    const cookieValue = jar.values.get('spectrocloud-refresh-token')!;
    const payload = sealed.open(cookieValue, index => jar.values.get(`spectrocloud-refresh-token-${index}`));
    const [header, body, signature] = payload.idToken.split('.');
    const flipped = `${header}.${body}.${signature.slice(0, 10)}${signature[10] === 'A' ? 'B' : 'A'}${signature.slice(11)}`;
    registerSecret(flipped);
    const [first, ...rest] = sealed.seal({ ...payload, idToken: flipped });
    jar.values.set('spectrocloud-refresh-token', first);
    rest.forEach((piece, index) => jar.values.set(`spectrocloud-refresh-token-${index + 1}`, piece));

    const response = await refresh(fixture, jar);
    expect(response.status).toBe(401);
    expect(JSON.stringify(response.body)).toContain('The SpectroCloud session could not be verified; sign in again');
    expect(JSON.stringify(response.body)).not.toContain('backstageIdentity');
  });
});
