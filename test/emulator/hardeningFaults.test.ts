import jwt from 'jsonwebtoken';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SpectroCloudEmulator } from '../../src/testing';
import { CLIENT, codeFor, exchangeCode, pathOf, REDIRECT_URI, signIn, startEmulator, verifyAgainstJwks, waitUntil } from '../support/emulatorHelpers';

describe('hardening faults', () => {
  let emu: SpectroCloudEmulator;
  beforeAll(async () => {
    emu = await startEmulator();
  });
  afterAll(() => emu.close());
  afterEach(() => emu.resetFaults());

  describe('tokenStall', () => {
    it('holds the token request unanswered until the fault is cleared, then answers it', async () => {
      const code = await codeFor(emu);
      emu.setFaults({ tokenStall: true });
      let answered = false;
      const pending = exchangeCode(emu, code).then(res => ((answered = true), res));
      await waitUntil(() => emu.stalledTokenRequests === 1);
      expect(answered).toBe(false);
      emu.setFaults({ tokenStall: undefined });
      expect((await pending).status).toBe(200);
      expect(emu.stalledTokenRequests).toBe(0);
    });

    it('lets go of a held request at once when its client hangs up, without spending the code', async () => {
      const code = await codeFor(emu);
      emu.setFaults({ tokenStall: true });
      const abort = new AbortController();
      const body = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret });
      const pending = fetch(emu.tokenUrl, { method: 'POST', body, signal: abort.signal }).catch((err: Error) => err);
      await waitUntil(() => emu.stalledTokenRequests === 1);
      abort.abort();
      expect(await pending).toBeInstanceOf(Error);
      // Still stalled, yet nothing is held: the emulator dropped the request with its socket.
      await waitUntil(() => emu.stalledTokenRequests === 0);
      expect(emu.faults.tokenStall).toBe(true);
      emu.resetFaults();
      expect((await exchangeCode(emu, code)).status).toBe(200);
    });

    it('is released by DELETE /__emulator/faults too', async () => {
      const code = await codeFor(emu);
      await request(emu.url).post('/__emulator/faults').send({ tokenStall: true }).expect(200);
      const pending = exchangeCode(emu, code);
      await waitUntil(() => emu.stalledTokenRequests === 1);
      await request(emu.url).delete('/__emulator/faults').expect(200);
      expect((await pending).status).toBe(200);
    });

    it('does not hold close(): the emulator stops and the waiting client sees the connection end', async () => {
      const own = await startEmulator();
      const code = await codeFor(own);
      own.setFaults({ tokenStall: true });
      const pending = exchangeCode(own, code).catch((err: Error) => err);
      await waitUntil(() => own.stalledTokenRequests === 1);
      await own.close();
      expect(await pending).toBeInstanceOf(Error);
      await waitUntil(() => own.stalledTokenRequests === 0);
    });
  });

  it('tokenBodyBytes pads a valid token response to exactly that many bytes', async () => {
    const code = await codeFor(emu);
    emu.setFaults({ tokenBodyBytes: 100_000 });
    const res = await exchangeCode(emu, code);
    expect(res.status).toBe(200);
    expect(Buffer.byteLength(res.text)).toBe(100_000);
    expect(res.headers['content-length']).toBe('100000');
    expect(res.body).toMatchObject({ token_type: 'Bearer', id_token: expect.any(String), emulator_padding: expect.stringMatching(/^x+$/) });
    await expect(verifyAgainstJwks(emu, res.body.id_token)).resolves.toBeTruthy();
  });

  it('idTokenPadBytes signs ID tokens with an extra claim of that many characters', async () => {
    emu.setFaults({ idTokenPadBytes: 10_000 });
    const { id_token } = await signIn(emu);
    expect(id_token.length).toBeGreaterThan(10_000);
    const claims = await verifyAgainstJwks(emu, id_token);
    expect(claims.emulator_padding).toHaveLength(10_000);
    expect(claims.email).toBe('alice@example.com');
  });

  it('discoveryIssuer makes the discovery document name another issuer, and nothing else changes', async () => {
    emu.setFaults({ discoveryIssuer: 'https://impostor.example/v1/oidc/tenant/x' });
    const { body } = await request(emu.url).get(pathOf(emu.discoveryUrl));
    expect(body.issuer).toBe('https://impostor.example/v1/oidc/tenant/x');
    expect(body.token_endpoint).toBe(emu.tokenUrl);
    expect(jwt.decode((await signIn(emu)).id_token)).toMatchObject({ iss: emu.issuer });
  });

  describe('dateSkewSeconds', () => {
    const fixedNow = Date.parse('2026-11-30T12:00:00Z');
    let clocked: SpectroCloudEmulator;
    beforeAll(async () => {
      clocked = await startEmulator({ clock: () => fixedNow });
    });
    afterAll(() => clocked.close());

    it('sends the Date header from the emulator clock when no skew is set', async () => {
      const res = await request(clocked.url).get(pathOf(clocked.discoveryUrl));
      expect(res.headers.date).toBe('Mon, 30 Nov 2026 12:00:00 GMT');
    });

    it('shifts the Date header of every endpoint', async () => {
      clocked.setFaults({ dateSkewSeconds: -3600 });
      try {
        for (const url of [clocked.discoveryUrl, clocked.jwksUrl, clocked.tokenUrl]) {
          const res = await request(clocked.url).get(pathOf(url));
          expect(res.headers.date).toBe('Mon, 30 Nov 2026 11:00:00 GMT');
        }
      } finally {
        clocked.resetFaults();
      }
    });
  });

  describe('validation', () => {
    it.each([
      [{ tokenStall: 'yes' }, /tokenStall/],
      [{ tokenBodyBytes: -1 }, /tokenBodyBytes/],
      [{ tokenBodyBytes: 1e12 }, /tokenBodyBytes/],
      [{ idTokenPadBytes: 1.5 }, /idTokenPadBytes/],
      [{ discoveryIssuer: '' }, /discoveryIssuer/],
      [{ dateSkewSeconds: 'an hour' }, /dateSkewSeconds/],
    ])('refuses %j over HTTP with 400 and through the JS API', async (faults, name) => {
      const res = await request(emu.url).post('/__emulator/faults').send(faults);
      expect(res.status).toBe(400);
      expect(res.body.error_description).toMatch(name);
      expect(() => emu.setFaults(faults as never)).toThrow(name);
      expect(emu.faults).toEqual({});
    });

    it('accepts every new fault over HTTP and shows it back', async () => {
      const all = { tokenStall: false, tokenBodyBytes: 2048, idTokenPadBytes: 16, discoveryIssuer: 'https://x.example', dateSkewSeconds: 300 };
      expect((await request(emu.url).post('/__emulator/faults').send(all)).body).toEqual(all);
    });

    it('refuses an unknown fault through the JS API', () => {
      expect(() => emu.setFaults({ tokenStal: true } as never)).toThrow(/unknown fault "tokenStal"/);
    });

    it('leaves the faults as they were when an assigned fault set is invalid', () => {
      emu.setFaults({ jwksDown: true });
      expect(() => (emu.faults = { tokenBodyBytes: -5 })).toThrow(/tokenBodyBytes/);
      expect(emu.faults).toEqual({ jwksDown: true });
    });
  });
});
