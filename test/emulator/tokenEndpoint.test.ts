import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SpectroCloudEmulator } from '../../src/testing';
import { registerSecret } from '../support/secrets';
import { CLIENT, codeFor, exchangeCode, OTHER_CLIENT, pkcePair, REDIRECT_URI, startEmulator, tokenRequest } from '../support/emulatorHelpers';

describe('token endpoint client authentication', () => {
  let emu: SpectroCloudEmulator;
  beforeAll(async () => {
    emu = await startEmulator();
  });
  afterAll(() => emu.close());

  const grant = (code: string) => ({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI });

  it('accepts client_secret_post', async () => {
    const res = await tokenRequest(emu, { ...grant(await codeFor(emu)), client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret });
    expect(res.status).toBe(200);
  });

  it('accepts client_secret_basic', async () => {
    const res = await tokenRequest(emu, grant(await codeFor(emu)), { id: CLIENT.clientId, secret: CLIENT.clientSecret });
    expect(res.status).toBe(200);
  });

  it('form-decodes Basic credentials, so secrets with ":", "+" and spaces work', async () => {
    const secret = `odd: secret+with/chars ${CLIENT.clientSecret}`;
    registerSecret(secret);
    const odd = await startEmulator({ clients: [{ ...CLIENT, clientSecret: secret }] });
    try {
      const res = await tokenRequest(odd, grant(await codeFor(odd)), { id: CLIENT.clientId, secret });
      expect(res.status).toBe(200);
    } finally {
      await odd.close();
    }
  });

  it('refuses Basic credentials and a body client_secret together with 401 invalid_client', async () => {
    const res = await tokenRequest(
      emu,
      { ...grant(await codeFor(emu)), client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret },
      { id: CLIENT.clientId, secret: CLIENT.clientSecret },
    );
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('invalid_client');
  });

  it('refuses a request without client authentication with 401 invalid_client', async () => {
    const res = await tokenRequest(emu, { ...grant(await codeFor(emu)), client_id: CLIENT.clientId });
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('invalid_client');
    expect(res.headers['www-authenticate']).toMatch(/^Basic /);
  });

  it('refuses a wrong client secret with 401 invalid_client', async () => {
    const res = await tokenRequest(emu, { ...grant(await codeFor(emu)), client_id: CLIENT.clientId, client_secret: 'wrong-secret-value' });
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('invalid_client');
  });

  it('refuses an unknown client with 401 invalid_client', async () => {
    const res = await tokenRequest(emu, grant(await codeFor(emu)), { id: 'nobody', secret: CLIENT.clientSecret });
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('invalid_client');
  });

  it('does not spend the code when client authentication fails', async () => {
    const code = await codeFor(emu);
    await tokenRequest(emu, { ...grant(code), client_id: CLIENT.clientId, client_secret: 'wrong-secret-value' });
    expect((await exchangeCode(emu, code)).status).toBe(200);
  });
});

describe('token endpoint code checks', () => {
  let emu: SpectroCloudEmulator;
  beforeAll(async () => {
    emu = await startEmulator();
  });
  afterAll(() => emu.close());
  afterEach(() => vi.useRealTimers());

  it('refuses a code used a second time with invalid_grant', async () => {
    const code = await codeFor(emu);
    expect((await exchangeCode(emu, code)).status).toBe(200);
    const again = await exchangeCode(emu, code);
    expect(again.status).toBe(400);
    expect(again.body.error).toBe('invalid_grant');
  });

  it('refuses an unknown code with invalid_grant', async () => {
    const res = await exchangeCode(emu, 'made-up-code-value');
    expect(res.body.error).toBe('invalid_grant');
  });

  it('refuses a code older than 60 seconds with invalid_grant', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const code = await codeFor(emu);
    vi.setSystemTime(Date.now() + 61_000);
    const res = await exchangeCode(emu, code);
    expect(res.body.error).toBe('invalid_grant');
  });

  it('accepts a code just under 60 seconds old', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const code = await codeFor(emu);
    vi.setSystemTime(Date.now() + 59_000);
    expect((await exchangeCode(emu, code)).status).toBe(200);
  });

  it('refuses a code issued to another client with invalid_grant', async () => {
    const code = await codeFor(emu);
    const res = await tokenRequest(emu, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
      client_id: OTHER_CLIENT.clientId,
      client_secret: OTHER_CLIENT.clientSecret,
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_grant');
  });

  it('refuses a redirect_uri that differs from the authorization request with invalid_grant', async () => {
    const res = await exchangeCode(emu, await codeFor(emu), { redirect_uri: 'http://localhost:7007/elsewhere' });
    expect(res.body).toMatchObject({ error: 'invalid_grant', error_description: expect.stringContaining('redirect_uri') });
  });

  it('refuses a token request without redirect_uri with invalid_grant', async () => {
    const code = await codeFor(emu);
    const res = await tokenRequest(emu, { grant_type: 'authorization_code', code, client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret });
    expect(res.body.error).toBe('invalid_grant');
  });

  it('refuses a request without a code with invalid_request', async () => {
    const res = await tokenRequest(emu, { grant_type: 'authorization_code', redirect_uri: REDIRECT_URI, client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret });
    expect(res.body.error).toBe('invalid_request');
  });

  it('accepts the code_verifier that matches the S256 challenge', async () => {
    const { verifier, challenge } = pkcePair();
    const code = await codeFor(emu, { code_challenge: challenge, code_challenge_method: 'S256' });
    expect((await exchangeCode(emu, code, { code_verifier: verifier })).status).toBe(200);
  });

  it('refuses a code_verifier that does not match the challenge with invalid_grant', async () => {
    const code = await codeFor(emu, { code_challenge: pkcePair().challenge, code_challenge_method: 'S256' });
    const res = await exchangeCode(emu, code, { code_verifier: pkcePair().verifier });
    expect(res.body).toMatchObject({ error: 'invalid_grant', error_description: expect.stringContaining('code_verifier') });
  });

  it('refuses a missing code_verifier when the authorization request had a challenge', async () => {
    const code = await codeFor(emu, { code_challenge: pkcePair().challenge, code_challenge_method: 'S256' });
    expect((await exchangeCode(emu, code)).body.error).toBe('invalid_grant');
  });

  it('refuses a code_verifier when the authorization request had no challenge', async () => {
    const code = await codeFor(emu);
    expect((await exchangeCode(emu, code, { code_verifier: pkcePair().verifier })).body.error).toBe('invalid_grant');
  });

  it('spends the code even when the PKCE check fails', async () => {
    const { verifier, challenge } = pkcePair();
    const code = await codeFor(emu, { code_challenge: challenge, code_challenge_method: 'S256' });
    await exchangeCode(emu, code, { code_verifier: pkcePair().verifier });
    expect((await exchangeCode(emu, code, { code_verifier: verifier })).body.error).toBe('invalid_grant');
  });
});
