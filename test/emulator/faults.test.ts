import { generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SpectroCloudEmulator } from '../../src/testing';
import { ALICE, authorize, codeFor, exchangeCode, pathOf, redirectParams, signIn, startEmulator, verifyAgainstJwks } from '../support/emulatorHelpers';

describe('faults set through the JS API', () => {
  let emu: SpectroCloudEmulator;
  beforeAll(async () => {
    emu = await startEmulator();
  });
  afterAll(() => emu.close());
  afterEach(() => emu.resetFaults());

  it('deny makes the authorization endpoint redirect with access_denied and the state', async () => {
    emu.setFaults({ deny: true });
    const params = redirectParams(await authorize(emu, { login_hint: ALICE.email }));
    expect(params.get('error')).toBe('access_denied');
    expect(params.get('state')).toBe('state-123');
  });

  it('deny still answers an unknown client with a page, never a redirect', async () => {
    emu.setFaults({ deny: true });
    const res = await authorize(emu, { client_id: 'unknown-app' });
    expect(res.status).toBe(400);
  });

  it('tokenStatus 500 makes the token endpoint answer 500 with an OAuth error body', async () => {
    const code = await codeFor(emu);
    emu.setFaults({ tokenStatus: 500 });
    const res = await exchangeCode(emu, code);
    expect(res.status).toBe(500);
    expect(res.body).toMatchObject({ error: 'server_error', error_description: expect.any(String) });
  });

  it('tokenStatus does not spend the code', async () => {
    const code = await codeFor(emu);
    emu.setFaults({ tokenStatus: 503 });
    expect((await exchangeCode(emu, code)).body.error).toBe('temporarily_unavailable');
    emu.resetFaults();
    expect((await exchangeCode(emu, code)).status).toBe(200);
  });

  it('tokenDelayMs makes the token endpoint wait before answering', async () => {
    const code = await codeFor(emu);
    emu.setFaults({ tokenDelayMs: 300 });
    const started = Date.now();
    const res = await exchangeCode(emu, code);
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('jwksDown makes the keys endpoint answer 503', async () => {
    emu.setFaults({ jwksDown: true });
    expect((await request(emu.url).get(pathOf(emu.jwksUrl))).status).toBe(503);
  });

  it('discoveryDown makes the discovery document answer 503', async () => {
    emu.setFaults({ discoveryDown: true });
    expect((await request(emu.url).get(pathOf(emu.discoveryUrl))).status).toBe(503);
  });

  it('counts JWKS requests even while the keys endpoint is down', async () => {
    emu.setFaults({ jwksDown: true });
    const before = emu.stats.jwksRequests;
    await request(emu.url).get(pathOf(emu.jwksUrl));
    expect(emu.stats.jwksRequests).toBe(before + 1);
  });

  it('counts token requests', async () => {
    const before = emu.stats.tokenRequests;
    await exchangeCode(emu, await codeFor(emu));
    expect(emu.stats.tokenRequests).toBe(before + 1);
  });

  it('idToken replaces the id_token with whatever the test builds', async () => {
    emu.setFaults({ idToken: () => 'not-a-jwt-at-all' });
    expect((await signIn(emu)).id_token).toBe('not-a-jwt-at-all');
  });

  it('idToken receives the claims the emulator would have signed', async () => {
    let seen: Record<string, unknown> | undefined;
    emu.setFaults({ idToken: ({ claims, sign }) => ((seen = claims), sign(claims)) });
    const tokens = await signIn(emu, { nonce: 'n-1' });
    expect(seen).toMatchObject({ iss: emu.issuer, email: 'alice@example.com', nonce: 'n-1' });
    expect(jwt.decode(tokens.id_token)).toEqual(seen);
  });

  it('idToken can forge an unsigned alg=none token', async () => {
    emu.setFaults({ idToken: ({ claims, sign }) => sign(claims, { alg: 'none' }) });
    const token = (await signIn(emu)).id_token;
    expect(jwt.decode(token, { complete: true })!.header.alg).toBe('none');
    expect(token.endsWith('.')).toBe(true);
  });

  it('idToken can forge an HS256 token keyed with the RSA public key', async () => {
    emu.setFaults({ idToken: ({ claims, sign }) => sign(claims, { alg: 'HS256' }) });
    const token = (await signIn(emu)).id_token;
    expect(jwt.decode(token, { complete: true })!.header).toMatchObject({ alg: 'HS256', kid: emu.currentKid });
  });

  it('idToken can sign with a foreign RSA key under the real kid', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    emu.setFaults({ idToken: ({ claims, sign }) => sign(claims, { key: privateKey }) });
    const token = (await signIn(emu)).id_token;
    expect(jwt.decode(token, { complete: true })!.header.kid).toBe(emu.currentKid);
    await expect(verifyAgainstJwks(emu, token)).rejects.toThrow(/invalid signature/);
  });

  it('idToken can sign with a kid the JWKS does not have, or none at all', async () => {
    emu.setFaults({ idToken: ({ claims, sign }) => sign(claims, { kid: 'no-such-kid' }) });
    expect(jwt.decode((await signIn(emu)).id_token, { complete: true })!.header.kid).toBe('no-such-kid');
    emu.setFaults({ idToken: ({ claims, sign }) => sign(claims, { kid: null }) });
    expect(jwt.decode((await signIn(emu)).id_token, { complete: true })!.header).not.toHaveProperty('kid');
  });

  it('resetFaults switches every fault off', async () => {
    emu.setFaults({ deny: true, jwksDown: true });
    emu.resetFaults();
    expect(emu.faults).toEqual({});
    expect((await request(emu.url).get(pathOf(emu.jwksUrl))).status).toBe(200);
  });

  it('faults can be set by mutating the faults object directly', async () => {
    emu.faults.jwksDown = true;
    expect((await request(emu.url).get(pathOf(emu.jwksUrl))).status).toBe(503);
  });

  it('assigning a new faults object replaces the old settings', async () => {
    emu.setFaults({ deny: true });
    emu.faults = { jwksDown: true };
    expect(emu.faults).toEqual({ jwksDown: true });
    expect((await request(emu.url).get(pathOf(emu.jwksUrl))).status).toBe(503);
  });
});

describe('faults set through the admin HTTP endpoint', () => {
  let emu: SpectroCloudEmulator;
  beforeAll(async () => {
    emu = await startEmulator();
  });
  afterAll(() => emu.close());
  afterEach(() => emu.resetFaults());

  it('POST /__emulator/faults switches faults on', async () => {
    const res = await request(emu.url).post('/__emulator/faults').send({ jwksDown: true, tokenStatus: 502 });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ jwksDown: true, tokenStatus: 502 });
    expect((await request(emu.url).get(pathOf(emu.jwksUrl))).status).toBe(503);
  });

  it('POST merges with the faults already set', async () => {
    await request(emu.url).post('/__emulator/faults').send({ deny: true });
    await request(emu.url).post('/__emulator/faults').send({ discoveryDown: true });
    expect(emu.faults).toEqual({ deny: true, discoveryDown: true });
  });

  it('POST with null switches one fault off', async () => {
    emu.setFaults({ deny: true, jwksDown: true });
    await request(emu.url).post('/__emulator/faults').send({ deny: null });
    expect(emu.faults).toEqual({ jwksDown: true });
  });

  it('DELETE /__emulator/faults switches every fault off', async () => {
    emu.setFaults({ deny: true, tokenDelayMs: 10 });
    const res = await request(emu.url).delete('/__emulator/faults');
    expect(res.status).toBe(200);
    expect(emu.faults).toEqual({});
  });

  it('GET /__emulator/faults shows the current faults', async () => {
    emu.setFaults({ tokenDelayMs: 25 });
    expect((await request(emu.url).get('/__emulator/faults')).body).toEqual({ tokenDelayMs: 25 });
  });

  it('refuses an unknown fault with 400', async () => {
    const res = await request(emu.url).post('/__emulator/faults').send({ explode: true });
    expect(res.status).toBe(400);
    expect(res.body.error_description).toContain('explode');
  });

  it('refuses a fault value of the wrong type with 400', async () => {
    const res = await request(emu.url).post('/__emulator/faults').send({ tokenStatus: 'five hundred' });
    expect(res.status).toBe(400);
    expect(emu.faults).toEqual({});
  });

  it('refuses idToken, which only the JS API can set', async () => {
    const res = await request(emu.url).post('/__emulator/faults').send({ idToken: 'x' });
    expect(res.status).toBe(400);
    expect(res.body.error_description).toContain('JS API');
  });

  it('answers malformed JSON with 400 in JSON', async () => {
    const res = await request(emu.url).post('/__emulator/faults').set('Content-Type', 'application/json').send('{"deny": tru');
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_request');
  });

  it('GET /__emulator/stats shows the request counters', async () => {
    await request(emu.url).get(pathOf(emu.jwksUrl));
    const res = await request(emu.url).get('/__emulator/stats');
    expect(res.body).toEqual(emu.stats);
    expect(res.body.jwksRequests).toBeGreaterThanOrEqual(1);
  });
});
