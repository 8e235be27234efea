import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SpectroCloudEmulator } from '../../src/testing';
import { ALICE, authorize, codeFor, exchangeCode, pathOf, redirectParams, signIn, startEmulator, verifyAgainstJwks } from '../support/emulatorHelpers';

describe('two tenants in one process', () => {
  let a: SpectroCloudEmulator;
  let b: SpectroCloudEmulator;
  beforeAll(async () => {
    [a, b] = await Promise.all([startEmulator({ tenantId: 'tenant-a' }), startEmulator({ tenantId: 'tenant-b' })]);
  });
  afterAll(() => Promise.all([a.close(), b.close()]));

  it('listen on different ports with their own issuer', async () => {
    expect(a.url).not.toBe(b.url);
    expect(a.issuer).toMatch(/\/v1\/oidc\/tenant\/tenant-a$/);
    expect(b.issuer).toMatch(/\/v1\/oidc\/tenant\/tenant-b$/);
    expect((await request(a.url).get(pathOf(a.discoveryUrl))).body.issuer).toBe(a.issuer);
    expect((await request(b.url).get(pathOf(b.discoveryUrl))).body.issuer).toBe(b.issuer);
  });

  it('sign with their own keys: a token from one does not verify against the other', async () => {
    expect(a.currentKid).not.toBe(b.currentKid);
    const fromA = (await signIn(a)).id_token;
    await expect(verifyAgainstJwks(a, fromA)).resolves.toBeTruthy();
    await expect(verifyAgainstJwks(b, fromA)).rejects.toThrow();
  });

  it('redeem only their own codes', async () => {
    const code = await codeFor(a);
    expect((await exchangeCode(b, code)).body.error).toBe('invalid_grant');
    expect((await exchangeCode(a, code)).status).toBe(200);
  });

  it('keep faults, key rotation, counters and recorded requests apart', async () => {
    const bKid = b.currentKid;
    const bStats = { ...b.stats };
    a.setFaults({ jwksDown: true, deny: true });
    a.rotateKeys({ keepOld: false });
    try {
      await authorize(a, { ui_locales: 'only-at-a' });
      expect((await request(b.url).get(pathOf(b.jwksUrl))).status).toBe(200);
      expect(b.faults).toEqual({});
      expect(b.currentKid).toBe(bKid);
      expect(b.stats.authorizationRequests).toBe(bStats.authorizationRequests);
      expect(b.lastAuthorizationRequest?.ui_locales).toBeUndefined();
    } finally {
      a.resetFaults();
    }
  });

  it('keep users and SSO sessions apart', async () => {
    a.addUser({ email: 'only-a@example.com' });
    expect(() => b.idTokenClaims('only-a@example.com')).toThrow(/no user/);

    const browser = request.agent(a.url);
    const signedIn = await authorize(a, { login_hint: ALICE.email }, browser);
    redirectParams(signedIn);
    const cookie = (signedIn.headers['set-cookie'] as unknown as string[])[0].split(';')[0];
    // The same browser cookie presented to the other tenant is no session there.
    const atB = await request(b.url).get(pathOf(b.authorizationUrl)).query(authQuery()).set('Cookie', cookie).redirects(0);
    expect(atB.status).toBe(200);
  });

  it('the emulator sources keep no module-level mutable state', () => {
    const root = join(__dirname, '../../src/testing');
    const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter(f => f.endsWith('.ts'));
    const offending = files.flatMap(file =>
      readFileSync(join(root, file), 'utf8')
        .split('\n')
        .filter(line => /^(export\s+)?(let|var)\s/.test(line) || /^(export\s+)?const\s+\w+\s*(:[^=]+)?=\s*new\s+(Map|Set|WeakMap|Array)\b/.test(line))
        .map(line => `${file}: ${line}`),
    );
    expect(offending).toEqual([]);
  });
});

function authQuery(): Record<string, string> {
  return { client_id: 'backstage', redirect_uri: 'http://localhost:7007/api/auth/spectrocloud/handler/frame', response_type: 'code', scope: 'openid' };
}
