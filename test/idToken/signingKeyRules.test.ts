import { generateKeyPairSync, sign as cryptoSign, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpectroCloudTokenError } from '../../src/errors';
import { IdTokenVerifier } from '../../src/oidc/IdTokenVerifier';
import { registerSecret } from '../support/secrets';

/*
 * The key rules (src/oidc/signingKeyRules.ts, docs/security.md "Signing
 * keys"): real keys from node:crypto, published by a JWKS on loopback, and
 * real tokens each key signed. Every refusal is a token whose signature is
 * valid with the key it names, so only the rule stands between it and
 * acceptance: remove a rule and its test sees the token accepted (or refused
 * with another code).
 */
const CLIENT_ID = 'key-rules-client';
const NOW_MS = Date.UTC(2026, 11, 1, 12, 0, 0);
const NOW = NOW_MS / 1000;
const ISSUER = 'https://tenant.example.test';
const ALGORITHMS = ['RS256', 'RS384', 'PS256', 'ES256', 'ES384', 'ES512'];

let server: Server;
let jwksUrl: string;
/** What the JWKS endpoint publishes next. */
let published: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: published }));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/keys`;
});
afterAll(() => new Promise<void>(resolve => server.close(() => resolve())));

type Pair = { privateKey: KeyObject; publicKey: KeyObject };
const rsa = (bits: number): Pair => generateKeyPairSync('rsa', { modulusLength: bits });
const ec = (namedCurve: string): Pair => generateKeyPairSync('ec', { namedCurve });

/** The public JWK of a pair, with these members added. */
function jwkOf(pair: Pair, kid: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...pair.publicKey.export({ format: 'jwk' }), kid, use: 'sig', ...extra };
}

const HASH: Record<string, string> = { '256': 'sha256', '384': 'sha384', '512': 'sha512' };

/** A compact JWS over standard claims, signed by `pair` for header `alg` (any key, any alg: node:crypto signs what it is told). */
function token(pair: Pair, alg: string, kid: string | undefined): string {
  const header = Buffer.from(JSON.stringify({ alg, typ: 'JWT', ...(kid === undefined ? {} : { kid }) })).toString('base64url');
  const body = Buffer.from(JSON.stringify({ iss: ISSUER, aud: CLIENT_ID, sub: 'user-1', iat: NOW - 10, exp: NOW + 300 })).toString('base64url');
  const input = Buffer.from(`${header}.${body}`);
  const hash = HASH[alg.slice(2)];
  const key = alg.startsWith('PS')
    ? { key: pair.privateKey, padding: 6 /* RSA_PKCS1_PSS_PADDING */, saltLength: Number(alg.slice(2)) / 8 }
    : alg.startsWith('ES')
      ? { key: pair.privateKey, dsaEncoding: 'ieee-p1363' as const }
      : pair.privateKey;
  const signed = `${header}.${body}.${cryptoSign(hash, input, key).toString('base64url')}`;
  registerSecret(signed);
  return signed;
}

function verifier() {
  // A fresh verifier per case: no key set cached from the case before.
  return new IdTokenVerifier({
    clientId: CLIENT_ID,
    algorithms: ALGORITHMS,
    clockTolerance: 5,
    endpoints: async () => ({ issuer: ISSUER, jwksUrl }),
    clock: () => NOW_MS,
  });
}

async function accepted(idToken: string) {
  await expect(verifier().verify(idToken)).resolves.toMatchObject({ sub: 'user-1' });
}

async function refusedFor(idToken: string, rule: string) {
  const error = await verifier().verify(idToken).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SpectroCloudTokenError);
  expect(error).toMatchObject({ code: 'ERR_ID_TOKEN_KEY_REFUSED', claim: 'kid' });
  expect((error as Error).message).toContain(`(${rule})`);
  return error as SpectroCloudTokenError;
}

const rsa2048 = rsa(2048);
const p256 = ec('P-256');

describe('controls: keys every rule accepts', () => {
  it.each([
    ['RS256 with a 2048-bit RSA key', rsa2048, 'RS256'],
    ['PS256 with a 2048-bit RSA key', rsa2048, 'PS256'],
    ['ES256 with a P-256 key', p256, 'ES256'],
    ['ES384 with a P-384 key', ec('P-384'), 'ES384'],
    ['ES512 with a P-521 key', ec('P-521'), 'ES512'],
  ])('accepts %s', async (_what, pair, alg) => {
    published = [jwkOf(pair, 'k1')];
    await accepted(token(pair, alg, 'k1'));
  });

  it('accepts a key whose own "alg" is the token\'s, and "key_ops" that include "verify"', async () => {
    published = [jwkOf(rsa2048, 'k1', { alg: 'RS256', key_ops: ['verify'] })];
    await accepted(token(rsa2048, 'RS256', 'k1'));
  });

  it('accepts a token without kid when the set holds exactly one key', async () => {
    published = [jwkOf(rsa2048, 'only')];
    await accepted(token(rsa2048, 'RS256', undefined));
  });
});

describe('each rule refuses the key it is about', () => {
  it('RSA modulus under 2048 bits (NIST SP 800-131A; jsonwebtoken checks only when signing)', async () => {
    const weak = rsa(1024);
    published = [jwkOf(weak, 'weak')];
    await refusedFor(token(weak, 'RS256', 'weak'), 'rsa-modulus-too-small');
  });

  it('an EC key for an RS* token and an RSA key for an ES* token: key type must fit the algorithm', async () => {
    published = [jwkOf(p256, 'ec'), jwkOf(rsa2048, 'rsa')];
    // The ES256 signature is valid with the P-256 key; the header lies about alg and names it.
    const ecSignedClaimingRs = token(p256, 'ES256', 'ec').split('.');
    ecSignedClaimingRs[0] = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: 'ec' })).toString('base64url');
    await refusedFor(ecSignedClaimingRs.join('.'), 'key-type-mismatch');
    const rsaSignedClaimingEs = token(rsa2048, 'RS256', 'rsa').split('.');
    rsaSignedClaimingEs[0] = Buffer.from(JSON.stringify({ alg: 'ES256', typ: 'JWT', kid: 'rsa' })).toString('base64url');
    await refusedFor(rsaSignedClaimingEs.join('.'), 'key-type-mismatch');
  });

  it.each([
    ['ES256 on a P-384 key', 'P-384', 'ES256'],
    ['ES384 on a P-256 key', 'P-256', 'ES384'],
    ['ES512 on a P-384 key', 'P-384', 'ES512'],
  ])('EC curve must fit the algorithm: %s', async (_what, curve, alg) => {
    const pair = ec(curve);
    published = [jwkOf(pair, 'ec')];
    await refusedFor(token(pair, alg, 'ec'), 'ec-curve-mismatch');
  });

  it('a key published with "use": "enc" never verifies, though the signature is valid with it', async () => {
    published = [jwkOf(rsa2048, 'enc', { use: 'enc' })];
    await refusedFor(token(rsa2048, 'RS256', 'enc'), 'published-for-encryption');
  });

  it.each([
    ['["encrypt", "wrapKey"]', ['encrypt', 'wrapKey']],
    ['[] (no operation at all)', []],
    ['"verify" (not an array)', 'verify'],
  ])('a key whose "key_ops" is %s, without "verify", never verifies', async (_what, keyOps) => {
    const entry = jwkOf(rsa2048, 'ops', { key_ops: keyOps });
    delete entry.use;
    published = [entry];
    await refusedFor(token(rsa2048, 'RS256', 'ops'), 'published-for-encryption');
  });

  it('a key whose own "alg" is another algorithm than the token\'s', async () => {
    published = [jwkOf(rsa2048, 'rs384', { alg: 'RS384' })];
    await refusedFor(token(rsa2048, 'RS256', 'rs384'), 'alg-mismatch');
  });

  it('several keys under one kid: refused as ambiguous, even when one of them signed the token', async () => {
    published = [jwkOf(rsa2048, 'twice'), jwkOf(rsa(2048), 'twice')];
    await refusedFor(token(rsa2048, 'RS256', 'twice'), 'ambiguous-kid');
    // Order does not matter: the signer listed second is refused the same way.
    published = [jwkOf(rsa(2048), 'twice'), jwkOf(rsa2048, 'twice')];
    await refusedFor(token(rsa2048, 'RS256', 'twice'), 'ambiguous-kid');
  });

  it('a token without kid when the set holds one kid published twice', async () => {
    published = [jwkOf(rsa2048, 'twice'), jwkOf(p256, 'twice')];
    await refusedFor(token(rsa2048, 'RS256', undefined), 'ambiguous-kid');
  });

  it('a published RSA key with its private members (d, p, q, dp, dq, qi), and no private value in the error', async () => {
    const privateJwk = { ...rsa2048.privateKey.export({ format: 'jwk' }), kid: 'leaked', use: 'sig' } as Record<string, string>;
    for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi']) registerSecret(privateJwk[member]);
    published = [privateJwk];
    const error = await refusedFor(token(rsa2048, 'RS256', 'leaked'), 'private-key-material');
    for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(JSON.stringify({ ...error, message: error.message })).not.toContain(privateJwk[member]);
  });

  it('a published EC key with its private member d', async () => {
    published = [{ ...p256.privateKey.export({ format: 'jwk' }), kid: 'leaked-ec', use: 'sig' }];
    await refusedFor(token(p256, 'ES256', 'leaked-ec'), 'private-key-material');
  });

  it('a symmetric (oct) key with its secret k, even for a token that names it', async () => {
    const k = Buffer.from('a shared secret that must never be published').toString('base64url');
    registerSecret(k);
    published = [{ kty: 'oct', k, kid: 'oct', use: 'sig' }];
    await refusedFor(token(rsa2048, 'RS256', 'oct'), 'private-key-material');
  });

  it('an OKP (Ed25519) key: no EdDSA in jsonwebtoken 9, so its key type is refused', async () => {
    const ed = generateKeyPairSync('ed25519');
    published = [{ ...ed.publicKey.export({ format: 'jwk' }), kid: 'ed', use: 'sig' }];
    await refusedFor(token(rsa2048, 'RS256', 'ed'), 'unsupported-key-type');
  });

  it('a key that is not a valid public key', async () => {
    published = [{ kty: 'RSA', e: 'AQAB', kid: 'broken', use: 'sig' }]; // no modulus
    await refusedFor(token(rsa2048, 'RS256', 'broken'), 'malformed');
  });
});

describe('the doctor\'s view: every published key the rules refuse, whatever the token', () => {
  it('names kid and rule of each refused key, and none of the accepted ones', async () => {
    published = [
      jwkOf(rsa2048, 'good', { alg: 'RS256' }),
      jwkOf(rsa(1024), 'weak'),
      jwkOf(rsa2048, 'enc', { use: 'enc' }),
      jwkOf(p256, 'twice'),
      jwkOf(p256, 'twice'),
      { ...p256.privateKey.export({ format: 'jwk' }), kid: 'leaked' },
    ];
    const keys = await verifier().publishedSigningKeys();
    expect(keys.map(key => [key.kid, key.refused ?? 'accepted', key.usable])).toEqual([
      ['good', 'accepted', true],
      ['weak', 'rsa-modulus-too-small', false],
      ['enc', 'published-for-encryption', false],
      ['twice', 'ambiguous-kid', false],
      ['twice', 'ambiguous-kid', false],
      ['leaked', 'private-key-material', false],
    ]);
  });
});
