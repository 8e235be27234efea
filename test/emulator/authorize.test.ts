import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SpectroCloudEmulator } from '../../src/testing';
import { registerSecret } from '../support/secrets';
import { ALICE, authorize, authParams, pathOf, pkcePair, redirectParams, startEmulator } from '../support/emulatorHelpers';

describe('authorization endpoint checks', () => {
  let emu: SpectroCloudEmulator;
  beforeAll(async () => {
    emu = await startEmulator();
  });
  afterAll(() => emu.close());

  it('answers an unknown client_id with a 400 page and no redirect', async () => {
    const res = await authorize(emu, { client_id: 'unknown-app', login_hint: ALICE.email });
    expect(res.status).toBe(400);
    expect(res.headers.location).toBeUndefined();
    expect(res.text).toContain('Unknown client_id');
  });

  it('answers an unregistered redirect_uri with a 400 page and no redirect', async () => {
    const res = await authorize(emu, { redirect_uri: 'https://evil.example/steal', login_hint: ALICE.email });
    expect(res.status).toBe(400);
    expect(res.headers.location).toBeUndefined();
  });

  it('compares the redirect_uri exactly, so a registered prefix is not enough', async () => {
    const res = await authorize(emu, { redirect_uri: `${authParams().redirect_uri}/extra`, login_hint: ALICE.email });
    expect(res.status).toBe(400);
  });

  it('answers a missing redirect_uri with a 400 page', async () => {
    const params = authParams({ login_hint: ALICE.email });
    delete (params as Record<string, string | undefined>).redirect_uri;
    const res = await request(emu.url).get(pathOf(emu.authorizationUrl)).query(params).redirects(0);
    expect(res.status).toBe(400);
  });

  it('redirects with unsupported_response_type and the state for response_type other than code', async () => {
    const params = redirectParams(await authorize(emu, { response_type: 'token', login_hint: ALICE.email }));
    expect(params.get('error')).toBe('unsupported_response_type');
    expect(params.get('state')).toBe('state-123');
    expect(params.get('code')).toBeNull();
  });

  it('redirects with invalid_scope when scope lacks openid', async () => {
    const params = redirectParams(await authorize(emu, { scope: 'profile email', login_hint: ALICE.email }));
    expect(params.get('error')).toBe('invalid_scope');
    expect(params.get('state')).toBe('state-123');
  });

  it('redirects with invalid_request for a plain PKCE challenge', async () => {
    const params = redirectParams(await authorize(emu, { code_challenge: pkcePair().challenge, code_challenge_method: 'plain', login_hint: ALICE.email }));
    expect(params.get('error')).toBe('invalid_request');
  });

  it('treats a code_challenge without a method as plain and refuses it', async () => {
    const params = redirectParams(await authorize(emu, { code_challenge: pkcePair().challenge, login_hint: ALICE.email }));
    expect(params.get('error')).toBe('invalid_request');
  });

  it('keeps the query a registered redirect_uri already has', async () => {
    const withQuery = 'http://localhost:7007/cb?env=development';
    const clientSecret = 'query-client-secret';
    registerSecret(clientSecret);
    const custom = await startEmulator({ clients: [{ clientId: 'q', clientSecret, redirectUris: [withQuery] }] });
    try {
      const res = await authorize(custom, { client_id: 'q', redirect_uri: withQuery, login_hint: ALICE.email });
      const params = redirectParams(res);
      expect(params.get('env')).toBe('development');
      expect(params.get('code')).toBeTruthy();
    } finally {
      await custom.close();
    }
  });

  it('counts every authorization request', async () => {
    const before = emu.stats.authorizationRequests;
    await authorize(emu, { login_hint: ALICE.email });
    expect(emu.stats.authorizationRequests).toBe(before + 1);
  });
});

describe('requirePkce', () => {
  it('redirects with invalid_request when the code_challenge is missing', async () => {
    const emu = await startEmulator({ requirePkce: true });
    try {
      const params = redirectParams(await authorize(emu, { login_hint: ALICE.email }));
      expect(params.get('error')).toBe('invalid_request');
      expect(params.get('error_description')).toContain('code_challenge');
    } finally {
      await emu.close();
    }
  });

  it('approves a request that carries an S256 challenge', async () => {
    const emu = await startEmulator({ requirePkce: true });
    try {
      const params = redirectParams(await authorize(emu, { login_hint: ALICE.email, code_challenge: pkcePair().challenge, code_challenge_method: 'S256' }));
      expect(params.get('code')).toBeTruthy();
    } finally {
      await emu.close();
    }
  });
});
