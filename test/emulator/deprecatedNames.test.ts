import jwt from 'jsonwebtoken';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import type { SpectroCloudEmulator } from '../../src/testing';
import { parseCliArgs, USAGE } from '../../src/testing/cliArgs';
import { registerSecret } from '../support/secrets';
import { ALICE, CLIENT, codeFor, exchangeCode, startEmulator } from '../support/emulatorHelpers';

/**
 * Issue 25 renamed the emulator's "session token" names to "Palette token" ones. Every released name
 * (options, controls, stats, the CLI flag) still works, as the same thing as its new name.
 */
describe("the emulator's names from before issue 25", () => {
  let emu: SpectroCloudEmulator | undefined;
  afterEach(async () => {
    await emu?.close();
    emu = undefined;
  });

  async function paletteToken(running: SpectroCloudEmulator): Promise<string> {
    const token = (await exchangeCode(running, await codeFor(running, { login_hint: ALICE.email }))).body.refresh_token as string;
    registerSecret(token);
    return token;
  }

  it('reads the option sessionTokenTtlSeconds as paletteTokenTtlSeconds', async () => {
    emu = await startEmulator({ sessionTokenTtlSeconds: 900 });
    const claims = jwt.decode(await paletteToken(emu)) as jwt.JwtPayload;
    expect(claims.exp! - claims.iat!).toBe(900);
  });

  it('reads the option sessionTokenAsCode as paletteTokenAsCode', async () => {
    emu = await startEmulator({ sessionTokenAsCode: true });
    const code = await codeFor(emu);
    registerSecret(code);
    expect(emu.verifyPaletteToken(code)).toMatchObject({ email: 'alice@example.com' });
  });

  it('accepts both names with the same value, and refuses both with different values, naming both', async () => {
    emu = await startEmulator({ paletteTokenTtlSeconds: 900, sessionTokenTtlSeconds: 900 });
    await expect(startEmulator({ paletteTokenTtlSeconds: 900, sessionTokenTtlSeconds: 600 })).rejects.toThrow(
      /"paletteTokenTtlSeconds" and "sessionTokenTtlSeconds" are both given/,
    );
    await expect(startEmulator({ paletteTokenAsCode: true, sessionTokenAsCode: false })).rejects.toThrow(
      /"paletteTokenAsCode" and "sessionTokenAsCode" are both given/,
    );
  });

  it('names the old option when its value is wrong', async () => {
    await expect(startEmulator({ sessionTokenTtlSeconds: 0 })).rejects.toThrow(/option "sessionTokenTtlSeconds" must be a positive integer/);
  });

  it('keeps signSessionToken, verifySessionToken and signOutSessionToken as the Palette-token controls', async () => {
    emu = await startEmulator();
    const signed = emu.signSessionToken({ sub: 'x', email: 'a@example.com' });
    expect(emu.verifyPaletteToken(signed)).toEqual({ sub: 'x', email: 'a@example.com' });
    const token = await paletteToken(emu);
    expect(emu.verifySessionToken(token)).toMatchObject({ email: 'alice@example.com' });
    emu.signOutSessionToken(token);
    expect(emu.verifyPaletteToken(token)).toBeUndefined();
  });

  it('counts renewals under both stat names, in the live object, a copy and GET /__emulator/stats', async () => {
    emu = await startEmulator();
    const token = await paletteToken(emu);
    expect((await request(emu.url).get(`/v1/auth/refresh/${encodeURIComponent(token)}`)).status).toBe(200);
    expect((await request(emu.url).get('/v1/auth/refresh/not-a-token')).status).toBe(401);
    expect(emu.stats).toMatchObject({ paletteTokenRenewals: 1, sessionTokenRenewals: 1, paletteTokenRenewalsRefused: 1, sessionTokenRenewalsRefused: 1 });
    expect({ ...emu.stats }).toMatchObject({ sessionTokenRenewals: 1, sessionTokenRenewalsRefused: 1 });
    const overHttp = await request(emu.url).get('/__emulator/stats');
    expect(overHttp.body).toMatchObject({ paletteTokenRenewals: 1, sessionTokenRenewals: 1, paletteTokenRenewalsRefused: 1, sessionTokenRenewalsRefused: 1 });
  });

  it('accepts the CLI flag --session-token-as-code as --palette-token-as-code, and lists it as deprecated', () => {
    const required = ['--client-id', CLIENT.clientId, '--client-secret', CLIENT.clientSecret, '--redirect-uri', CLIENT.redirectUris[0]];
    expect(parseCliArgs([...required, '--session-token-as-code'], {})).toMatchObject({ paletteTokenAsCode: true });
    expect(parseCliArgs([...required, '--palette-token-as-code'], {})).toMatchObject({ paletteTokenAsCode: true });
    expect(parseCliArgs(required, {})).not.toHaveProperty('paletteTokenAsCode', true);
    expect(USAGE).toMatch(/Deprecated[^]*--session-token-as-code {3}the old name of --palette-token-as-code/);
  });
});
