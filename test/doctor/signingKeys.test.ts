import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXES } from '../../src/doctor/fixes';
import { RUN_TIMEOUT_MS, deployment, expectNoSecret, runDoctorInProcess, setUpDoctorFixture, tearDownDoctorFixture, tenant } from './fixture';
import { registerSecret } from '../support/secrets';

/*
 * `signing-keys`: the tenant's published keys the key rules would refuse,
 * by kid and rule, read from a real JWKS (loopback, set as jwksUrl) with
 * real keys, and never a key's private value in the output.
 */
let server: Server;
let jwksUrl: string;
let published: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  await setUpDoctorFixture();
  server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: published }));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/keys`;
});
afterAll(async () => {
  await new Promise<void>(resolve => server.close(() => resolve()));
  await tearDownDoctorFixture();
});

const withJwksUrl = () => `auth:\n  providers:\n    spectrocloud:\n      development:\n        jwksUrl: ${jwksUrl}\n`;
const publicJwk = (bits: number) => generateKeyPairSync('rsa', { modulusLength: bits }).publicKey.export({ format: 'jwk' });

describe('doctor: signing-keys', () => {
  it('names each published key the rules refuse, with its rule, and fails', { timeout: RUN_TIMEOUT_MS }, async () => {
    const leaked = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
    registerSecret(leaked.d);
    published = [
      { ...publicJwk(2048), kid: 'good', alg: 'RS256', use: 'sig' },
      { ...publicJwk(1024), kid: 'weak', alg: 'RS256', use: 'sig' },
      { ...leaked, kid: 'leaked', use: 'sig' },
    ];
    const output = await runDoctorInProcess(await deployment('signing-keys-refused', await tenant(), withJwksUrl()));
    expectNoSecret(output);
    expect(output.stdout).not.toContain(leaked.d);
    expect(output.code).toBe(1);
    expect(output.lines.get('jwks')).toMatch(/^ok {3}jwks: 1 of 3 key\(s\) usable with RS256 \(good RS256\)/);
    expect(output.lines.get('signing-keys')).toBe(
      `fail signing-keys: 2 of 3 published key(s) would be refused (weak: rsa-modulus-too-small, leaked: private-key-material) -> ${FIXES.signingKeys}`,
    );
  });

  it('passes when the only refused key is published for encryption, and still names it', { timeout: RUN_TIMEOUT_MS }, async () => {
    published = [
      { ...publicJwk(2048), kid: 'sig-key', alg: 'RS256', use: 'sig' },
      { ...publicJwk(2048), kid: 'enc-key', use: 'enc' },
    ];
    const output = await runDoctorInProcess(await deployment('signing-keys-enc', await tenant(), withJwksUrl()));
    expect(output.lines.get('signing-keys')).toBe('ok   signing-keys: 1 of 2 published key(s) meet the key rules; not for signatures: enc-key: published-for-encryption');
  });
});
