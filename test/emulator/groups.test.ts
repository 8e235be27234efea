import jwt from 'jsonwebtoken';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SpectroCloudEmulator } from '../../src/testing';
import { ALICE, pathOf, signIn, startEmulator } from '../support/emulatorHelpers';

describe('groups', () => {
  let emu: SpectroCloudEmulator;
  beforeAll(async () => {
    emu = await startEmulator({ users: [ALICE, { email: 'nogroups@example.com', given_name: 'No', family_name: 'Groups' }] });
  });
  afterAll(() => emu.close());

  async function claimsAndUserinfo(scope: string, loginHint = ALICE.email) {
    const tokens = await signIn(emu, { scope, login_hint: loginHint });
    const userinfo = await request(emu.url).get(pathOf(emu.userinfoUrl)).set('Authorization', `Bearer ${tokens.access_token}`);
    return { idToken: jwt.decode(tokens.id_token) as Record<string, unknown>, userinfo: userinfo.body as Record<string, unknown> };
  }

  it('puts the user groups in the ID token and userinfo when the groups scope is requested', async () => {
    const { idToken, userinfo } = await claimsAndUserinfo('openid profile email groups');
    expect(idToken.groups).toEqual(['platform-team', 'developers']);
    expect(userinfo.groups).toEqual(['platform-team', 'developers']);
  });

  it('leaves groups out of both without the groups scope', async () => {
    const { idToken, userinfo } = await claimsAndUserinfo('openid profile email');
    expect(idToken).not.toHaveProperty('groups');
    expect(userinfo).not.toHaveProperty('groups');
    expect(idToken.email).toBe(ALICE.email);
  });

  it('gives an empty list to a user without groups when the scope is requested', async () => {
    const { idToken } = await claimsAndUserinfo('openid groups', 'nogroups@example.com');
    expect(idToken.groups).toEqual([]);
  });

  it('idTokenClaims assumes every scope, groups included', () => {
    expect(emu.idTokenClaims(ALICE.email)).toMatchObject({ groups: ALICE.groups, auth_time: expect.any(Number) });
  });
});
