import { createPublicKey, createSecretKey, generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SpectroCloudEmulator } from '../../src/testing';
import { registerSecret } from '../support/secrets';
import { ALICE, CLIENT, pathOf, signIn, startEmulator, verifyAgainstJwks } from '../support/emulatorHelpers';

describe('signing keys', () => {
  let emu: SpectroCloudEmulator;
  beforeAll(async () => {
    emu = await startEmulator();
  });
  afterAll(() => emu.close());

  it('publishes the RSA signing key in the JWKS with kid, alg RS256 and use sig', async () => {
    const { body } = await request(emu.url).get(pathOf(emu.jwksUrl));
    expect(body.keys).toHaveLength(1);
    expect(body.keys[0]).toMatchObject({ kty: 'RSA', kid: emu.currentKid, alg: 'RS256', use: 'sig', e: 'AQAB' });
    expect(body.keys[0]).not.toHaveProperty('d');
  });

  it('exposes the same JWKS through emu.jwks', async () => {
    const { body } = await request(emu.url).get(pathOf(emu.jwksUrl));
    expect(emu.jwks).toEqual(body);
  });

  it('rotateKeys publishes the old and the new kid', async () => {
    const oldKid = emu.currentKid;
    const newKid = emu.rotateKeys();
    expect(newKid).not.toBe(oldKid);
    const { body } = await request(emu.url).get(pathOf(emu.jwksUrl));
    expect(body.keys.map((k: { kid: string }) => k.kid)).toEqual(expect.arrayContaining([oldKid, newKid]));
  });

  it('signs new ID tokens with the new kid after rotateKeys', async () => {
    const newKid = emu.rotateKeys();
    const tokens = await signIn(emu);
    expect(jwt.decode(tokens.id_token, { complete: true })!.header.kid).toBe(newKid);
    await expect(verifyAgainstJwks(emu, tokens.id_token)).resolves.toBeTruthy();
  });

  it('keeps tokens signed before a rotation verifiable', async () => {
    const before = await signIn(emu);
    emu.rotateKeys();
    await expect(verifyAgainstJwks(emu, before.id_token)).resolves.toBeTruthy();
  });

  it('rotateKeys with keepOld false drops the old keys from the JWKS', async () => {
    const newKid = emu.rotateKeys({ keepOld: false });
    expect(emu.jwks.keys.map(k => k.kid)).toEqual([newKid]);
  });
});

describe('signIdToken', () => {
  let emu: SpectroCloudEmulator;
  beforeAll(async () => {
    emu = await startEmulator();
  });
  afterAll(() => emu.close());

  const jwkKey = (e: SpectroCloudEmulator) => createPublicKey({ key: e.jwks.keys[0] as any, format: 'jwk' });

  it('signs exactly the given claims, RS256 with the current kid', () => {
    const token = emu.signIdToken({ sub: 'x', custom: 1 });
    registerSecret(token);
    const { header, payload } = jwt.decode(token, { complete: true })!;
    expect(header).toMatchObject({ alg: 'RS256', kid: emu.currentKid });
    expect(payload).toEqual({ sub: 'x', custom: 1 });
    expect(jwt.verify(token, jwkKey(emu), { algorithms: ['RS256'] })).toEqual({ sub: 'x', custom: 1 });
  });

  it('builds the claims the token endpoint would issue with idTokenClaims', () => {
    const claims = emu.idTokenClaims(ALICE.email, { nonce: 'n' });
    expect(claims).toMatchObject({ iss: emu.issuer, aud: CLIENT.clientId, email: ALICE.email, nonce: 'n', groups: ALICE.groups });
    expect((claims.exp as number) - (claims.iat as number)).toBe(3600);
  });

  it('keeps the iat it is given', () => {
    const token = emu.signIdToken({ sub: 'x', iat: 1000, exp: 2000 });
    expect(jwt.decode(token)).toEqual({ sub: 'x', iat: 1000, exp: 2000 });
  });

  it('signs HS256 with the public key PEM, the algorithm-confusion forgery', () => {
    const token = emu.signIdToken({ sub: 'x' }, { alg: 'HS256' });
    const pem = jwkKey(emu).export({ type: 'spki', format: 'pem' });
    expect(jwt.verify(token, createSecretKey(Buffer.from(pem)), { algorithms: ['HS256'] })).toEqual({ sub: 'x' });
  });

  it('signs with a foreign key that the JWKS does not verify', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const token = emu.signIdToken({ sub: 'x' }, { key: privateKey });
    expect(() => jwt.verify(token, jwkKey(emu), { algorithms: ['RS256'] })).toThrow(/invalid signature/);
  });

  it('merges extra header fields', () => {
    const token = emu.signIdToken({ sub: 'x' }, { header: { typ: 'at+jwt', jku: 'https://evil.example/jwks' } });
    expect(jwt.decode(token, { complete: true })!.header).toMatchObject({ alg: 'RS256', typ: 'at+jwt', jku: 'https://evil.example/jwks' });
  });

  it('signs Palette tokens with HS256 and verifies only its own', () => {
    const token = emu.signPaletteToken({ sub: 'x', email: 'a@example.com' });
    registerSecret(token);
    expect(jwt.decode(token, { complete: true })!.header.alg).toBe('HS256');
    expect(emu.verifyPaletteToken(token)).toEqual({ sub: 'x', email: 'a@example.com' });
    expect(emu.verifyPaletteToken(jwt.sign({ sub: 'x' }, 'some-other-hmac-secret-value'))).toBeUndefined();
  });
});
