import http from 'node:http';
import express from 'express';
import request from 'supertest';
import { describe, expect, it, vi } from 'vitest';
import { createSpectroCloudEmulatorApp, startSpectroCloudEmulator } from '../../src/testing';
import { registerSecret } from '../support/secrets';
import { ALICE, CLIENT, signIn, startEmulator } from '../support/emulatorHelpers';

describe('emulator lifecycle and options', () => {
  it('listens on 127.0.0.1 and a free port by default', async () => {
    const emu = await startEmulator();
    try {
      expect(emu.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(emu.issuer).toBe(`${emu.url}/v1/oidc/tenant/tenant-local`);
      expect(emu.tokenUrl).toBe(`${emu.issuer}/token`);
      expect(emu.jwksUrl).toBe(`${emu.issuer}/keys`);
      expect(emu.userinfoUrl).toBe(`${emu.issuer}/userinfo`);
    } finally {
      await emu.close();
    }
  });

  it('closes even while a keep-alive connection is open', async () => {
    const emu = await startEmulator();
    const agent = new http.Agent({ keepAlive: true });
    await new Promise<void>((resolve, reject) => {
      http.get(`${emu.jwksUrl}`, { agent }, res => res.resume().on('end', resolve)).on('error', reject);
    });
    await expect(emu.close()).resolves.toBeUndefined();
    agent.destroy();
  });

  it('refuses to start without clients, naming the option', async () => {
    await expect(startSpectroCloudEmulator({ clients: [] })).rejects.toThrow(/"clients"/);
  });

  it('refuses a client without redirect URIs, naming the option', async () => {
    await expect(
      startSpectroCloudEmulator({ clients: [{ clientId: 'a', clientSecret: 'b', redirectUris: [] }] }),
    ).rejects.toThrow(/clients\[0\]\.redirectUris/);
  });

  it('refuses a relative redirect URI', async () => {
    await expect(
      startSpectroCloudEmulator({ clients: [{ clientId: 'a', clientSecret: 'b', redirectUris: ['/callback'] }] }),
    ).rejects.toThrow(/not an absolute URL/);
  });

  it('logs what happens without ever logging tokens, codes or secrets', async () => {
    const lines: string[] = [];
    const emu = await startEmulator({ logger: { info: msg => lines.push(msg) } });
    try {
      const tokens = await signIn(emu);
      const log = lines.join('\n');
      expect(log).toContain('issued tokens');
      for (const secret of [CLIENT.clientSecret, tokens.access_token, tokens.id_token, tokens.refresh_token]) {
        expect(log).not.toContain(secret);
      }
      expect(log).not.toContain(ALICE.email);
    } finally {
      await emu.close();
    }
  });

  it('is silent without a logger', async () => {
    const spy = vi.spyOn(console, 'log');
    const emu = await startEmulator();
    try {
      await signIn(emu);
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
      await emu.close();
    }
  });

  it('can be mounted under a path in an existing express app', async () => {
    const host = express();
    const server = http.createServer(host);
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      const { app, emulator } = createSpectroCloudEmulatorApp({ clients: [CLIENT], users: [ALICE], baseUrl: `${base}/sso` });
      host.use('/sso', app);
      const res = await request(base).get('/sso/v1/oidc/tenant/tenant-local/.well-known/openid-configuration');
      expect(res.status).toBe(200);
      expect(res.body.issuer).toBe(`${base}/sso/v1/oidc/tenant/tenant-local`);
      expect(emulator.issuer).toBe(res.body.issuer);
      registerSecret(emulator.signIdToken({ sub: 'x' }));
    } finally {
      server.closeAllConnections();
      await new Promise(resolve => server.close(resolve));
    }
  });
});
