import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import { parseCliArgs } from '../../src/testing/cliArgs';
import { registerSecret } from '../support/secrets';

const ROOT = join(__dirname, '../..');
const SECRET = 'cli-test-client-secret-value';
registerSecret(SECRET);
const REQUIRED = ['--client-id', 'backstage', '--client-secret', SECRET, '--redirect-uri', 'http://localhost:7007/cb'];

describe('CLI arguments', () => {
  it('turns the flags into emulator options', () => {
    const options = parseCliArgs([...REQUIRED, '--port', '7011', '--users', 'u.yaml', '--tenant', 't1', '--require-pkce', '--no-discovery'], {});
    expect(options).toMatchObject({
      port: 7011,
      host: '127.0.0.1',
      tenantId: 't1',
      usersFile: 'u.yaml',
      requirePkce: true,
      discovery: false,
      clients: [{ clientId: 'backstage', clientSecret: SECRET, redirectUris: ['http://localhost:7007/cb'] }],
    });
  });

  it('serves the example users without --users: the users of examples/emulator-users.yaml, no file needed', () => {
    const options = parseCliArgs(REQUIRED, {}) as { users?: unknown; usersFile?: string };
    expect(options.usersFile).toBeUndefined();
    const file = load(readFileSync(join(ROOT, 'examples/emulator-users.yaml'), 'utf8')) as { users: unknown[] };
    expect(options.users).toEqual(file.users);
    expect(parseCliArgs([...REQUIRED, '--users', 'u.yaml'], {})).not.toHaveProperty('users');
  });

  it('defaults to port 7010', () => {
    expect(parseCliArgs(REQUIRED, {})).toMatchObject({ port: 7010, discovery: true });
  });

  it('accepts several redirect URIs', () => {
    const options = parseCliArgs([...REQUIRED, '--redirect-uri', 'http://localhost:3000/cb'], {});
    expect(options).toMatchObject({ clients: [{ redirectUris: ['http://localhost:7007/cb', 'http://localhost:3000/cb'] }] });
  });

  it('reads the client secret from the environment when the flag is absent', () => {
    const options = parseCliArgs(['--client-id', 'b', '--redirect-uri', 'http://x/cb'], { SPECTROCLOUD_EMULATOR_CLIENT_SECRET: SECRET });
    expect(options).toMatchObject({ clients: [{ clientSecret: SECRET }] });
  });

  it('names a missing required flag', () => {
    expect(() => parseCliArgs(['--client-id', 'b', '--client-secret', SECRET], {})).toThrow('--redirect-uri is required');
  });

  it('refuses a port that is not a number', () => {
    expect(() => parseCliArgs([...REQUIRED, '--port', 'abc'], {})).toThrow(/--port/);
  });

  it('registers post-logout redirect URIs, none unless given', () => {
    expect(parseCliArgs(REQUIRED, {})).toMatchObject({ clients: [{ clientId: 'backstage' }] });
    expect((parseCliArgs(REQUIRED, {}) as { clients: object[] }).clients[0]).not.toHaveProperty('postLogoutRedirectUris');
    const options = parseCliArgs([...REQUIRED, '--post-logout-redirect-uri', 'http://localhost:3000/bye', '--post-logout-redirect-uri', 'http://localhost:3000/'], {});
    expect(options).toMatchObject({ clients: [{ postLogoutRedirectUris: ['http://localhost:3000/bye', 'http://localhost:3000/'] }] });
  });

  it('reads --tls-key and --tls-cert files into the tls option', () => {
    const files: Record<string, string> = { 'k.pem': 'KEY PEM', 'c.pem': 'CERT PEM' };
    const options = parseCliArgs([...REQUIRED, '--tls-key', 'k.pem', '--tls-cert', 'c.pem'], {}, path => files[path]);
    expect(options).toMatchObject({ tls: { key: 'KEY PEM', cert: 'CERT PEM' } });
  });

  it('needs --tls-key and --tls-cert together', () => {
    expect(() => parseCliArgs([...REQUIRED, '--tls-key', 'k.pem'], {}, () => 'x')).toThrow('--tls-key needs --tls-cert');
    expect(() => parseCliArgs([...REQUIRED, '--tls-cert', 'c.pem'], {}, () => 'x')).toThrow('--tls-cert needs --tls-key');
  });

  it('names the flag and path of an unreadable TLS file, never its content', () => {
    const unreadable = () => {
      throw new Error('ENOENT');
    };
    expect(() => parseCliArgs([...REQUIRED, '--tls-key', '/no/such/key.pem', '--tls-cert', 'c.pem'], {}, unreadable)).toThrow('--tls-key: cannot read "/no/such/key.pem"');
  });

  it('refuses unknown flags', () => {
    expect(() => parseCliArgs([...REQUIRED, '--bogus'], {})).toThrow(/bogus/);
  });
});

describe('CLI process', () => {
  let child: ChildProcess | undefined;
  /** Everything the running CLI printed so far. */
  let printed = '';
  afterEach(() => {
    child?.kill('SIGTERM');
    child = undefined;
  });

  /** Starts the CLI on a free port and resolves with everything it printed once the issuer line is out. */
  function startCli(extra: string[] = []): Promise<string> {
    child = spawn(process.execPath, ['--import', 'tsx', 'src/testing/cli.ts', ...REQUIRED, '--port', '0', ...extra], { cwd: ROOT });
    printed = '';
    return new Promise((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        printed += chunk.toString();
        if (/faults:/.test(printed)) resolve(printed);
      };
      child!.stdout!.on('data', onData);
      child!.stderr!.on('data', onData);
      child!.on('exit', code => reject(new Error(`CLI exited with ${code}`)));
    });
  }

  it('prints the issuer and the authorization URL, and serves discovery there', async () => {
    const output = await startCli(['--users', 'examples/emulator-users.yaml']);
    const issuer = /issuer:\s+(\S+)/.exec(output)![1];
    expect(output).toMatch(new RegExp(`authorization URL:\\s+${issuer.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}/auth`));
    const res = await request(new URL(issuer).origin).get(`${new URL(issuer).pathname}/.well-known/openid-configuration`);
    expect(res.body.issuer).toBe(issuer);
  });

  it('never prints the client secret, codes or tokens, even after a sign-in', async () => {
    await startCli(['--users', 'examples/emulator-users.yaml', '--auto-approve']);
    const issuer = /issuer:\s+(\S+)/.exec(printed)![1];
    const { origin, pathname } = new URL(issuer);
    const auth = await request(origin)
      .get(`${pathname}/auth`)
      .query({ client_id: 'backstage', redirect_uri: 'http://localhost:7007/cb', response_type: 'code', scope: 'openid', login_hint: 'bob@example.com' })
      .redirects(0);
    const code = new URL(auth.headers.location).searchParams.get('code')!;
    registerSecret(code);
    const tokens = await request(origin)
      .post(`${pathname}/token`)
      .type('form')
      .send({ grant_type: 'authorization_code', code, redirect_uri: 'http://localhost:7007/cb', client_id: 'backstage', client_secret: SECRET });
    expect(tokens.status).toBe(200);
    for (const key of ['access_token', 'id_token', 'refresh_token']) registerSecret(tokens.body[key]);
    await waitFor(() => printed.includes('issued tokens'));
    expect(printed).toContain('secret not shown');
    for (const secret of [SECRET, code, tokens.body.access_token, tokens.body.id_token, tokens.body.refresh_token]) {
      expect(printed).not.toContain(secret);
    }
  });

  it('without --users, its login page offers the example users', async () => {
    const output = await startCli();
    expect(output).toMatch(/users:\s+3 example users/);
    const issuer = /issuer:\s+(\S+)/.exec(output)![1];
    const { origin, pathname } = new URL(issuer);
    const page = await request(origin)
      .get(`${pathname}/auth`)
      .query({ client_id: 'backstage', redirect_uri: 'http://localhost:7007/cb', response_type: 'code', scope: 'openid', state: 's' });
    expect(page.status).toBe(200);
    for (const email of ['alice@example.com', 'bob@example.com', 'carol@example.com']) expect(page.text).toContain(`data-email="${email}"`);
  });

  it('exits with usage when a required flag is missing', async () => {
    const proc = spawn(process.execPath, ['--import', 'tsx', 'src/testing/cli.ts', '--client-id', 'x'], { cwd: ROOT });
    let stderr = '';
    proc.stderr.on('data', c => (stderr += c));
    const code = await new Promise(resolve => proc.on('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toContain('--client-secret');
    expect(stderr).toContain('Usage:');
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise(resolve => setTimeout(resolve, 20));
  }
}
