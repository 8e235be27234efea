import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SpectroCloudEmulator } from '../../src/testing';
import { pathOf, startEmulator } from '../support/emulatorHelpers';

describe('discovery document', () => {
  let emu: SpectroCloudEmulator;
  beforeAll(async () => {
    emu = await startEmulator({ tenantId: 'tenant-abc' });
  });
  afterAll(() => emu.close());

  it('is served at the issuer, which is the authorization URL minus /auth', async () => {
    const res = await request(emu.url).get('/v1/oidc/tenant/tenant-abc/.well-known/openid-configuration');
    expect(res.status).toBe(200);
    expect(res.body.issuer).toBe(`${emu.url}/v1/oidc/tenant/tenant-abc`);
    expect(emu.authorizationUrl).toBe(`${res.body.issuer}/auth`);
  });

  it('lists every tenant endpoint', async () => {
    const { body } = await request(emu.url).get(pathOf(emu.discoveryUrl));
    expect(body).toMatchObject({
      authorization_endpoint: `${emu.issuer}/auth`,
      token_endpoint: `${emu.issuer}/token`,
      jwks_uri: `${emu.issuer}/keys`,
      userinfo_endpoint: `${emu.issuer}/userinfo`,
    });
  });

  it('advertises the code flow, RS256, S256 PKCE and both client secret methods', async () => {
    const { body } = await request(emu.url).get(pathOf(emu.discoveryUrl));
    expect(body.response_types_supported).toEqual(['code']);
    expect(body.id_token_signing_alg_values_supported).toEqual(['RS256']);
    expect(body.code_challenge_methods_supported).toEqual(['S256']);
    expect(body.token_endpoint_auth_methods_supported).toEqual(['client_secret_post', 'client_secret_basic']);
    expect(body.scopes_supported).toEqual(expect.arrayContaining(['openid', 'profile', 'email', 'groups']));
    expect(body.claims_supported).toEqual(expect.arrayContaining(['sub', 'email', 'given_name', 'family_name', 'name', 'groups', 'nonce']));
  });

  it('counts every discovery request', async () => {
    const before = emu.stats.discoveryRequests;
    await request(emu.url).get(pathOf(emu.discoveryUrl));
    expect(emu.stats.discoveryRequests).toBe(before + 1);
  });

  it('does not answer for another tenant', async () => {
    const res = await request(emu.url).get('/v1/oidc/tenant/someone-else/.well-known/openid-configuration');
    expect(res.status).toBe(404);
  });
});

describe('discovery switched off', () => {
  it('answers 404 so clients must derive the endpoints', async () => {
    const emu = await startEmulator({ discovery: false });
    try {
      const res = await request(emu.url).get(pathOf(emu.discoveryUrl));
      expect(res.status).toBe(404);
      expect(emu.stats.discoveryRequests).toBe(1);
    } finally {
      await emu.close();
    }
  });

  it('still serves the derived token and keys endpoints', async () => {
    const emu = await startEmulator({ discovery: false });
    try {
      const keys = await request(emu.url).get(pathOf(emu.authorizationUrl.replace(/\/auth$/, '/keys')));
      expect(keys.status).toBe(200);
      const token = await request(emu.url).post(pathOf(emu.authorizationUrl.replace(/\/auth$/, '/token'))).type('form').send({});
      expect(token.status).toBe(401);
    } finally {
      await emu.close();
    }
  });
});
