import jwt from 'jsonwebtoken';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SpectroCloudEmulator } from '../../src/testing';
import { registerSecret } from '../support/secrets';
import { ALICE, codeFor, exchangeCode, startEmulator } from '../support/emulatorHelpers';

/** The Palette token: a short lifetime, renewal through /v1/auth/refresh/{token}, and one API call that needs it. */
describe("the emulator's Palette API", () => {
  let now = Date.UTC(2026, 11, 2, 9, 0, 0);
  let emu: SpectroCloudEmulator;
  beforeAll(async () => {
    emu = await startEmulator({ paletteTokenTtlSeconds: 900, clock: () => now });
  });
  afterAll(() => emu.close());

  async function paletteToken(): Promise<string> {
    const token = (await exchangeCode(emu, await codeFor(emu, { login_hint: ALICE.email }))).body.refresh_token as string;
    registerSecret(token);
    return token;
  }
  const refresh = (token: string) => request(emu.url).get(`/v1/auth/refresh/${encodeURIComponent(token)}`);
  const usersInfo = (authorization: string, projectUid?: string) => {
    const call = request(emu.url).get('/v1/users/info').set('Authorization', authorization);
    return projectUid ? call.set('ProjectUid', projectUid) : call;
  };

  it('hands out Palette tokens that live paletteTokenTtlSeconds, apart from the ID token', async () => {
    const tokens = (await exchangeCode(emu, await codeFor(emu, { login_hint: ALICE.email }))).body;
    registerSecret(tokens.refresh_token);
    const session = jwt.decode(tokens.refresh_token) as jwt.JwtPayload;
    const idToken = jwt.decode(tokens.id_token) as jwt.JwtPayload;
    expect(session.exp! - session.iat!).toBe(900);
    expect(idToken.exp! - idToken.iat!).toBe(3600);
  });

  it('renews a live token: a new token of the same session, with a fresh lifetime', async () => {
    const token = await paletteToken();
    now += 10 * 60_000;
    const answer = await refresh(token);
    expect(answer.status).toBe(200);
    const renewed = answer.body.Authorization as string;
    registerSecret(renewed);
    expect(renewed).not.toBe(token);
    const before = jwt.decode(token) as jwt.JwtPayload;
    const after = jwt.decode(renewed) as jwt.JwtPayload;
    expect(after.sid).toBe(before.sid);
    expect(after.exp).toBe(Math.floor(now / 1000) + 900);
    expect(emu.verifyPaletteToken(renewed)).toBeDefined();
  });

  it('refuses to renew an expired token (401)', async () => {
    const token = await paletteToken();
    now += 901_000;
    const answer = await refresh(token);
    expect(answer.status).toBe(401);
    expect(answer.body.code).toBe('Unauthorized');
  });

  it('refuses to renew a signed-out session, and every token renewed from it', async () => {
    const token = await paletteToken();
    const renewed = (await refresh(token)).body.Authorization as string;
    registerSecret(renewed);
    emu.signOutPaletteToken(token);
    expect((await refresh(token)).status).toBe(401);
    expect((await refresh(renewed)).status).toBe(401);
    expect((await usersInfo(renewed)).status).toBe(401);
  });

  it('refuses a token it did not sign', async () => {
    expect((await refresh(emu.signIdToken({ sub: 'x', email: ALICE.email }))).status).toBe(401);
    expect((await refresh('not-a-token')).status).toBe(401);
  });

  it('answers /v1/users/info for the token sent raw in Authorization, and records ProjectUid', async () => {
    const token = await paletteToken();
    const answer = await usersInfo(token, 'project-42');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ email: ALICE.email, name: 'Alice Example' });
    expect(emu.stats.lastProjectUid).toBe('project-42');
  });

  it('refuses /v1/users/info with Bearer, without a token, and after the token expired', async () => {
    const token = await paletteToken();
    expect((await usersInfo(`Bearer ${token}`)).status).toBe(401);
    expect((await request(emu.url).get('/v1/users/info')).status).toBe(401);
    now += 901_000;
    expect((await usersInfo(token)).status).toBe(401);
  });
});
