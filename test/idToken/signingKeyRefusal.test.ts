import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SpectroCloudAuthMetrics } from '../../src/metrics';
import { registerSecret } from '../support/secrets';
import { BACKEND_KINDS, signIn, startFixture, type Fixture } from '../support/spectroFixture';

/*
 * A key the key rules refuse, met in a real sign-in: the emulator's token
 * re-signed with it, its JWKS (the emulator's keys plus this one) on
 * loopback as jwksUrl. The popup names the refusal, the backend logs and
 * counts its code, and neither the key nor the token reaches a log line
 * (test/support/failOnSecretInLogs.ts fails the file otherwise).
 */
const weak = generateKeyPairSync('rsa', { modulusLength: 1024 });
const WEAK_KID = 'weak-1024';

function lastFailureCode(fixture: Fixture): string | undefined {
  const line = [...fixture.backend.logLines].reverse().find(entry => entry.includes('SpectroCloud sign-in failed: '));
  return line ? /sign-in failed: (ERR_[A-Z_]+)/.exec(line)?.[1] : undefined;
}

describe.each(BACKEND_KINDS)('a refused signing key at sign-in (%s backend)', kind => {
  let fixture: Fixture;
  let server: Server;
  const metrics = new SpectroCloudAuthMetrics();

  beforeAll(async () => {
    server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const weakJwk = { ...weak.publicKey.export({ format: 'jwk' }), kid: WEAK_KID, alg: 'RS256', use: 'sig' };
      res.end(JSON.stringify({ keys: [...fixture.emulator.jwks.keys, weakJwk] }));
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/keys`;
    fixture = await startFixture({ kind, environment: { jwksUrl }, ...(kind === 'legacy' ? { provider: { metrics } } : {}) });
  });
  afterEach(() => fixture.emulator.resetFaults());
  afterAll(async () => {
    await fixture?.close();
    await new Promise<void>(resolve => server.close(() => resolve()));
  });

  it('signs in with the emulator\'s own key from the same JWKS (control)', async () => {
    const { frame } = await signIn(fixture);
    expect(frame.message.error).toBeUndefined();
  });

  it('refuses a token signed by a published 1024-bit RSA key with ERR_ID_TOKEN_KEY_REFUSED, logged and counted', async () => {
    fixture.emulator.setFaults({
      idToken: ({ claims, sign }) => {
        const token = sign(claims, { key: weak.privateKey, kid: WEAK_KID });
        registerSecret(token);
        return token;
      },
    });
    const { frame } = await signIn(fixture);
    expect(frame.message.error?.name).toBe('SpectroCloudTokenError');
    expect(frame.message.error?.message).toBe(`ID token's signing key "${WEAK_KID}" is refused: its RSA modulus is shorter than 2048 bits (rsa-modulus-too-small)`);
    expect(lastFailureCode(fixture)).toBe('ERR_ID_TOKEN_KEY_REFUSED');
    if (kind === 'legacy') expect(metrics.snapshot().signInFailures).toEqual({ ERR_ID_TOKEN_KEY_REFUSED: 1 });
  });
});
