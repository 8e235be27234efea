import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSpectroCloudEmulator, type SpectroCloudEmulator } from '../../src/testing';
import { createTempDir, removeTempDir } from '../support/tempDir';
import { ALICE, authorize, CLIENT, codeFor, exchangeCode, pathOf, redirectParams } from '../support/emulatorHelpers';

const EXAMPLE_USERS = join(__dirname, '../../examples/emulator-users.yaml');
let dir: string;
beforeAll(async () => {
  dir = await createTempDir('spectro-emulator-users');
});
afterAll(() => removeTempDir(dir));

function writeUsers(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe('users', () => {
  const started: SpectroCloudEmulator[] = [];
  afterAll(() => Promise.all(started.map(e => e.close())));

  async function start(options: Partial<Parameters<typeof startSpectroCloudEmulator>[0]>) {
    const emu = await startSpectroCloudEmulator({ clients: [CLIENT], autoApprove: true, ...options });
    started.push(emu);
    return emu;
  }

  async function userinfoAfterSignIn(emu: SpectroCloudEmulator, email: string) {
    const tokens = await exchangeCode(emu, await codeFor(emu, { login_hint: email }));
    return (await request(emu.url).get(pathOf(emu.userinfoUrl)).set('Authorization', `Bearer ${tokens.body.access_token}`)).body;
  }

  it('loads the three example users from examples/emulator-users.yaml', async () => {
    const emu = await start({ usersFile: EXAMPLE_USERS, autoApprove: false });
    const { text } = await authorize(emu);
    expect(text).toContain('Sign in as Alice Example');
    expect(text).toContain('alice@example.com - groups: platform-team, developers');
    expect(text).toContain('Sign in as Bob Builder');
    expect(text).toContain('bob@example.com - groups: developers');
    expect(text).toContain('Sign in as Carol Nocatalog');
    expect(text).toContain('carol@example.com - groups: guests');
  });

  it('puts the YAML user groups into the claims', async () => {
    const emu = await start({ usersFile: EXAMPLE_USERS });
    expect(await userinfoAfterSignIn(emu, 'carol@example.com')).toMatchObject({ groups: ['guests'], name: 'Carol Nocatalog' });
  });

  it('loads users from a JSON file', async () => {
    const path = writeUsers('users.json', JSON.stringify({ users: [{ email: 'dave@example.com', given_name: 'Dave', family_name: 'Json' }] }));
    const emu = await start({ usersFile: path });
    expect(await userinfoAfterSignIn(emu, 'dave@example.com')).toMatchObject({ name: 'Dave Json', groups: [] });
  });

  it('merges inline users with the users file', async () => {
    const emu = await start({ usersFile: EXAMPLE_USERS, users: [{ email: 'erin@example.com' }] });
    expect(await userinfoAfterSignIn(emu, 'erin@example.com')).toMatchObject({ email: 'erin@example.com' });
  });

  it('uses the given id as sub, and the email as name when there is no name', async () => {
    const emu = await start({ users: [{ id: 'user-42', email: 'frank@example.com' }] });
    expect(await userinfoAfterSignIn(emu, 'frank@example.com')).toMatchObject({ sub: 'user-42', name: 'frank@example.com' });
  });

  it('derives a stable sub from the email when no id is given', async () => {
    const one = await start({ users: [ALICE] });
    const two = await start({ users: [ALICE] });
    expect((await userinfoAfterSignIn(one, ALICE.email)).sub).toBe((await userinfoAfterSignIn(two, ALICE.email)).sub);
  });

  it('matches login_hint to a user case-insensitively', async () => {
    const emu = await start({ users: [ALICE] });
    expect(redirectParams(await authorize(emu, { login_hint: 'ALICE@Example.com' })).get('code')).toBeTruthy();
  });

  it('shows the login page when login_hint names no user', async () => {
    const emu = await start({ users: [ALICE] });
    const res = await authorize(emu, { login_hint: 'nobody@example.com' });
    expect(res.status).toBe(200);
  });

  it('can add a user while running', async () => {
    const emu = await start({ users: [] });
    emu.addUser({ email: 'late@example.com', given_name: 'Late', family_name: 'Comer', groups: ['x'] });
    expect(await userinfoAfterSignIn(emu, 'late@example.com')).toMatchObject({ name: 'Late Comer', groups: ['x'] });
  });

  it('refuses a user file without a users list, naming the file', async () => {
    const path = writeUsers('bad.yaml', 'people: []\n');
    await expect(start({ usersFile: path })).rejects.toThrow(/bad\.yaml.*"users" list/);
  });

  it('refuses a user without an email', async () => {
    await expect(start({ users: [{ given_name: 'Nobody' } as never] })).rejects.toThrow(/users\[0\].*"email"/);
  });

  it('refuses groups that are not a list of strings', async () => {
    const path = writeUsers('groups.yaml', 'users:\n  - email: g@example.com\n    groups: admins\n');
    await expect(start({ usersFile: path })).rejects.toThrow(/"groups" must be a list of strings/);
  });

  it('refuses the same email twice', async () => {
    await expect(start({ users: [ALICE, { ...ALICE, email: 'Alice@Example.com' }] })).rejects.toThrow(/already registered/);
  });
});
