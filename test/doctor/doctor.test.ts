import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSpectroCloudEmulator } from '../../src/testing';
import type { EmulatorFaults, SpectroCloudEmulator } from '../../src/testing';
import { formatResult } from '../../src/doctor/DoctorCheck';
import { FIXES } from '../../src/doctor/fixes';
import { runDoctor } from '../../src/doctor/runDoctor';
import { findLeakedSecret, registerSecret } from '../support/secrets';
import { createTempDir, removeTempDir } from '../support/tempDir';
import { createTestCa } from '../support/testCa';

const ROOT = join(__dirname, '../..');
const CLIENT_ID = 'doctor-client';
const CLIENT_SECRET = 'doctor-client-secret-3f9a1c07d2';
const REDIS_PASSWORD = 'doctor-redis-password-77c1e0';
const ENCRYPTION_KEY = Buffer.alloc(32, 7).toString('base64');
const PROXY_PASSWORD = 'doctor-proxy-password-5b2d9e';
const SECRETS = [CLIENT_SECRET, REDIS_PASSWORD, ENCRYPTION_KEY, PROXY_PASSWORD];
SECRETS.forEach(registerSecret);

/**
 * A cold child process loads the legacy auth backend, which takes up to ~25 s on
 * a busy 2-core machine: only the command line itself runs in child processes,
 * one at a time; the checks' failure cases run the same runDoctor in-process.
 */
const RUN_TIMEOUT_MS = 150_000;

interface DoctorOutput {
  code: number | null;
  stdout: string;
  stderr: string;
  lines: Map<string, string>;
}

let dir: string;
const emulators: SpectroCloudEmulator[] = [];

const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy', 'ALL_PROXY', 'all_proxy'];
let restoreEnv: Record<string, string | undefined> = {};

beforeAll(async () => {
  dir = await createTempDir('doctor-test');
  // In-process runs: the secret the configs substitute, and no proxy from the machine running the tests.
  restoreEnv = Object.fromEntries(['DOCTOR_CLIENT_SECRET', ...PROXY_VARIABLES].map(name => [name, process.env[name]]));
  process.env.DOCTOR_CLIENT_SECRET = CLIENT_SECRET;
  for (const name of PROXY_VARIABLES) delete process.env[name];
});

afterAll(async () => {
  for (const [name, value] of Object.entries(restoreEnv)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  await Promise.all(emulators.map(emulator => emulator.close()));
  if (dir) await removeTempDir(dir);
});

/** An emulated tenant of its own per test, so faults never leak between tests running side by side. */
async function tenant(faults: Partial<EmulatorFaults> = {}, tls?: { key: string; cert: string }): Promise<SpectroCloudEmulator> {
  const emulator = await startSpectroCloudEmulator({
    tls,
    clients: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: ['http://localhost:7007/api/auth/spectrocloud/handler/frame'] }],
    users: [{ email: 'alice@example.com' }],
  });
  emulators.push(emulator);
  emulator.setFaults(faults);
  return emulator;
}

/**
 * A deployment the way teams write it: the provider block in a file of its
 * own pulled in with `$include`, the secret from `${...}`, a Redis token store
 * with a password and an encryption key; `extra` is a later --config file whose
 * values win.
 */
async function deployment(name: string, emulator: SpectroCloudEmulator, extra?: string): Promise<string[]> {
  const base = join(dir, name);
  await writeFile(
    `${base}-spectrocloud.yaml`,
    [
      'development:',
      `  clientId: ${CLIENT_ID}`,
      '  clientSecret: ${DOCTOR_CLIENT_SECRET}',
      `  authorizationUrl: ${emulator.authorizationUrl}`,
      'tokenStore:',
      '  type: redis',
      `  encryptionKey: ${ENCRYPTION_KEY}`,
      '  redis:',
      `    url: redis://:${REDIS_PASSWORD}@127.0.0.1:6399`,
      '',
    ].join('\n'),
  );
  await writeFile(
    `${base}-app-config.yaml`,
    [
      'app:',
      '  baseUrl: http://localhost:3000',
      'backend:',
      '  baseUrl: http://localhost:7007',
      'auth:',
      '  environment: development',
      '  providers:',
      '    spectrocloud:',
      `      $include: ./${name}-spectrocloud.yaml`,
      '',
    ].join('\n'),
  );
  const files = [`${base}-app-config.yaml`];
  if (extra) {
    await writeFile(`${base}-override.yaml`, extra);
    files.push(`${base}-override.yaml`);
  }
  return files;
}

function runDoctorCli(configFiles: string[], env: Record<string, string | undefined> = {}): Promise<DoctorOutput> {
  const args = ['--import', 'tsx', 'src/doctor/cli.ts', 'doctor', ...configFiles.flatMap(file => ['--config', file])];
  const childEnv: NodeJS.ProcessEnv = { ...process.env, DOCTOR_CLIENT_SECRET: CLIENT_SECRET, NODE_EXTRA_CA_CERTS: undefined, ...env };
  for (const name of PROXY_VARIABLES) if (!(name in env)) delete childEnv[name];
  for (const [name, value] of Object.entries(childEnv)) if (value === undefined) delete childEnv[name];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', chunk => (stdout += chunk));
    child.stderr.on('data', chunk => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS - 5_000);
    child.once('error', reject);
    child.once('close', code => {
      clearTimeout(timer);
      resolve(toOutput(code, stdout, stderr));
    });
  });
}

/** The same checks as the command line, in this process: every line formatted as the CLI prints it. */
async function runDoctorInProcess(configFiles: string[], env: Record<string, string | undefined> = {}): Promise<DoctorOutput> {
  const printed: string[] = [];
  const ok = await runDoctor({ configFiles, providerId: 'spectrocloud' }, (result, secrets) => printed.push(formatResult(result, secrets)), env);
  return toOutput(ok ? 0 : 1, printed.join('\n'), '');
}

/** For the in-process runs: what the config loader substitutes and proxy-from-env reads comes from process.env. */
async function withProcessEnv<T>(values: Record<string, string | undefined>, run: () => Promise<T>): Promise<T> {
  const previous = Object.fromEntries(Object.keys(values).map(name => [name, process.env[name]]));
  const apply = (next: Record<string, string | undefined>) => {
    for (const [name, value] of Object.entries(next)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  apply(values);
  try {
    return await run();
  } finally {
    apply(previous);
  }
}

function toOutput(code: number | null, stdout: string, stderr: string): DoctorOutput {
  const lines = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const match = /^(ok  |fail) ([a-z-]+): /.exec(line);
    if (match) lines.set(match[2]!, line);
  }
  return { code, stdout, stderr, lines };
}

function expectNoSecret(output: DoctorOutput) {
  expect(findLeakedSecret(`${output.stdout}\n${output.stderr}`, SECRETS)).toBeUndefined();
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise(resolve => server.close(resolve));
  return port;
}

describe('doctor command line, in a child process (one at a time)', () => {
  it('passes every check for a working deployment and prints no secret', { timeout: RUN_TIMEOUT_MS }, async () => {
    const emulator = await tenant();
    const output = await runDoctorCli(await deployment('healthy', emulator), {
      // A proxy with credentials that NO_PROXY bypasses for the tenant.
      HTTPS_PROXY: `http://doctor:${PROXY_PASSWORD}@127.0.0.1:9`,
      HTTP_PROXY: `http://doctor:${PROXY_PASSWORD}@127.0.0.1:9`,
      NO_PROXY: '127.0.0.1,localhost',
    });
    expectNoSecret(output);
    expect(output.code, output.stdout + output.stderr).toBe(0);
    expect([...output.lines.keys()]).toEqual(['config', 'callback-url', 'ca', 'discovery', 'issuer', 'proxy', 'jwks', 'clock-skew', 'start-url']);
    for (const line of output.lines.values()) expect(line).toMatch(/^ok {3}/);
    expect(output.lines.get('config')).toContain('token store redis');
    expect(output.lines.get('proxy')).toContain('direct (NO_PROXY matches)');
    expect(output.lines.get('jwks')).toContain('1 of 1 key(s) usable with RS256');
    const startUrl = new URL(output.lines.get('start-url')!.replace(/^ok {3}start-url: /, ''));
    expect(startUrl.origin + startUrl.pathname).toBe(emulator.authorizationUrl);
    expect(Object.fromEntries(startUrl.searchParams)).toMatchObject({
      client_id: CLIENT_ID,
      redirect_uri: 'http://localhost:7007/api/auth/spectrocloud/handler/frame',
      response_type: 'code',
      scope: 'openid profile email',
      code_challenge_method: 'S256',
    });
    expect(output.stdout).toContain('doctor: all checks passed');
  });

  it('names a misspelt key with the ERR_CONFIG message and its fix', { timeout: RUN_TIMEOUT_MS }, async () => {
    const emulator = await tenant();
    const files = await deployment('misspelt', emulator, 'auth:\n  providers:\n    spectrocloud:\n      development:\n        ClockTolerance: 60\n');
    const output = await runDoctorCli(files);
    expectNoSecret(output);
    expect(output.code).toBe(1);
    expect(output.lines.get('config')).toBe(
      `fail config: Unknown config key 'auth.providers.spectrocloud.development.ClockTolerance'. Did you mean 'clockTolerance'? Valid keys are: ${output.lines.get('config')!.split('Valid keys are: ')[1]!.split(' -> ')[0]} -> ${FIXES.config}`,
    );
    expect(output.lines.size).toBe(1);
  });

  it('fails when a config file cannot be loaded', { timeout: RUN_TIMEOUT_MS }, async () => {
    const output = await runDoctorCli([join(dir, 'missing-app-config.yaml')]);
    expect(output.code).toBe(1);
    expect(output.lines.get('config-files')).toMatch(/^fail config-files: .*missing-app-config\.yaml/);
  });
});

describe.concurrent('doctor checks against the emulator, one broken setting each', () => {
  it('fails discovery when the discovery document is down', { timeout: RUN_TIMEOUT_MS }, async () => {
    const emulator = await tenant({ discoveryDown: true });
    const output = await runDoctorInProcess(await deployment('discovery-down', emulator));
    expectNoSecret(output);
    expect(output.code).toBe(1);
    expect(output.lines.get('discovery')).toBe(
      `fail discovery: SpectroCloud's discovery document answered HTTP 503 [ERR_DISCOVERY]; sign-in would use derived endpoints -> ${FIXES.discovery}`,
    );
    // The rest still runs on the derived endpoints, as the provider would.
    expect(output.lines.get('jwks')).toMatch(/^ok/);
    expect(output.lines.get('start-url')).toMatch(/^ok/);
  });

  it('fails the issuer check when discovery names another issuer', { timeout: RUN_TIMEOUT_MS }, async () => {
    const emulator = await tenant({ discoveryIssuer: 'https://other-tenant.example.com/v1/oidc/tenant/other' });
    const output = await runDoctorInProcess(await deployment('issuer-mismatch', emulator));
    expect(output.code).toBe(1);
    expect(output.lines.get('issuer')).toBe(
      `fail issuer: SpectroCloud's discovery document names another issuer than the one it was fetched for (OIDC Discovery 1.0 section 4.3); check authorizationUrl, issuer and metadataUrl [ERR_DISCOVERY]; expected '${emulator.issuer}' -> ${FIXES.issuer}`,
    );
  });

  it('fails the dry /start when the provider would refuse to start a sign-in (discovery of another issuer)', { timeout: RUN_TIMEOUT_MS }, async () => {
    const emulator = await tenant({ discoveryIssuer: 'https://other-tenant.example.com/v1/oidc/tenant/other' });
    const output = await runDoctorInProcess(await deployment('start-refused', emulator));
    expect(output.code).toBe(1);
    expect(output.lines.get('start-url')).toMatch(/^fail start-url: .*names another issuer.*\[ERR_DISCOVERY\] -> /);
    expect(output.lines.get('start-url')!.endsWith(FIXES.startUrl)).toBe(true);
  });

  it('fails the JWKS check when the signing keys cannot be loaded', { timeout: RUN_TIMEOUT_MS }, async () => {
    const emulator = await tenant({ jwksDown: true });
    const output = await runDoctorInProcess(await deployment('jwks-down', emulator));
    expect(output.code).toBe(1);
    expect(output.lines.get('jwks')).toBe(
      `fail jwks: SpectroCloud's signing keys (JWKS endpoint) answered HTTP 503 [ERR_JWKS_UNAVAILABLE] -> ${FIXES.jwks}`,
    );
  });

  it('fails the JWKS check when no published key fits the allowed algorithms', { timeout: RUN_TIMEOUT_MS }, async () => {
    const emulator = await tenant();
    const files = await deployment('jwks-alg', emulator, 'auth:\n  providers:\n    spectrocloud:\n      development:\n        algorithms: [ES256]\n');
    const output = await runDoctorInProcess(files);
    expect(output.code).toBe(1);
    expect(output.lines.get('jwks')).toMatch(/^fail jwks: none of the 1 published key\(s\) \(.+ RS256\) fits the allowed algorithms \(ES256\)/);
  });

  it('fails a callback URL that the legacy router does not serve', { timeout: RUN_TIMEOUT_MS }, async () => {
    const emulator = await tenant();
    const files = await deployment(
      'callback',
      emulator,
      'auth:\n  providers:\n    spectrocloud:\n      development:\n        callbackUrl: http://localhost:7007/api/auth/spectrocloud/callback\n',
    );
    const output = await runDoctorInProcess(files);
    expect(output.code).toBe(1);
    expect(output.lines.get('callback-url')).toBe(
      `fail callback-url: callbackUrl path '/api/auth/spectrocloud/callback' does not end with '/spectrocloud/handler/frame' -> ${FIXES.callbackUrl}`,
    );
  });

  it('fails a plain-http callback URL outside localhost', { timeout: RUN_TIMEOUT_MS }, async () => {
    const emulator = await tenant();
    const files = await deployment('callback-http', emulator, 'backend:\n  baseUrl: http://backstage.example.com\n');
    const output = await runDoctorInProcess(files);
    expect(output.code).toBe(1);
    expect(output.lines.get('callback-url')).toBe(`fail callback-url: callbackUrl uses http; only https is safe outside localhost -> ${FIXES.callbackUrl}`);
  });

  it('fails an unreadable CA file', { timeout: RUN_TIMEOUT_MS }, async () => {
    const emulator = await tenant();
    const output = await runDoctorInProcess(await deployment('ca', emulator), { NODE_EXTRA_CA_CERTS: join(dir, 'no-such-ca.pem') });
    expect(output.code).toBe(1);
    expect(output.lines.get('ca')).toBe(`fail ca: NODE_EXTRA_CA_CERTS: the file cannot be read (ENOENT) -> ${FIXES.caFile}`);
  });

  it('fails a caFile that cannot be read with the ERR_CONFIG message the backend would throw', { timeout: RUN_TIMEOUT_MS }, async () => {
    const emulator = await tenant();
    const files = await deployment('ca-file', emulator, `auth:\n  providers:\n    spectrocloud:\n      development:\n        caFile: ${join(dir, 'no-such-ca.pem')}\n`);
    const output = await runDoctorInProcess(files);
    expect(output.code).toBe(1);
    expect(output.lines.get('config')).toMatch(/^fail config: Cannot read 'auth\.providers\.spectrocloud\.development\.caFile' \(ENOENT\)/);
  });

  it('reaches an HTTPS tenant behind a private CA only with caFile, through the provider\'s client', { timeout: RUN_TIMEOUT_MS }, async () => {
    const ca = await createTestCa();
    try {
      const emulator = await tenant({}, await ca.issueServerCertificate(['127.0.0.1']));
      const caFile = await ca.writeCaFile();
      const trusted = await runDoctorInProcess(
        await deployment('private-ca', emulator, `auth:\n  providers:\n    spectrocloud:\n      development:\n        caFile: ${caFile}\n`),
      );
      expect(trusted.code, trusted.stdout).toBe(0);
      expect(trusted.lines.get('ca')).toMatch(/^ok {3}ca: trusted besides the system store: auth\.providers\.spectrocloud\.development\.ca\/caFile \(1 of 1\) \(1 certificate\)/);
      expect(trusted.lines.get('jwks')).toMatch(/^ok/);

      const untrusted = await runDoctorInProcess(await deployment('private-ca-missing', emulator));
      expect(untrusted.code).toBe(1);
      expect(untrusted.lines.get('discovery')).toMatch(/^fail discovery: .*\[ERR_TLS\]/);
      expect(untrusted.lines.get('jwks')).toMatch(/^fail jwks: .*\[ERR_TLS\]/);
    } finally {
      await ca.close();
    }
  });

  it('fails when the tenant clock is further off than clockTolerance', { timeout: RUN_TIMEOUT_MS }, async () => {
    const emulator = await tenant({ dateSkewSeconds: 600 });
    const output = await runDoctorInProcess(await deployment('skew', emulator));
    expect(output.code).toBe(1);
    expect(output.lines.get('clock-skew')).toMatch(
      /^fail clock-skew: this machine is (599|600|601)s behind the tenant, more than clockTolerance \(30s\): ID tokens would be refused -> /,
    );
    expect(output.lines.get('clock-skew')).toContain(FIXES.clockSkew);
  });
});

describe('doctor checks that read the process environment', () => {
  it('reports a secret whose environment variable is unset as missing, without guessing it', { timeout: RUN_TIMEOUT_MS }, async () => {
    const emulator = await tenant();
    const files = await deployment('unset-secret', emulator);
    const output = await withProcessEnv({ DOCTOR_CLIENT_SECRET: undefined }, () => runDoctorInProcess(files));
    expect(output.code).toBe(1);
    expect(output.lines.get('config')).toContain("Missing required config value 'auth.providers.spectrocloud.development.clientSecret'");
  });

  it('fails a proxy that does not accept connections, naming it without its credentials', { timeout: RUN_TIMEOUT_MS }, async () => {
    const emulator = await tenant();
    const port = await closedPort();
    const proxy = `http://doctor:${PROXY_PASSWORD}@127.0.0.1:${port}`;
    const files = await deployment('proxy', emulator);
    const output = await withProcessEnv({ HTTP_PROXY: proxy, HTTPS_PROXY: proxy }, () => runDoctorInProcess(files, { HTTP_PROXY: proxy, HTTPS_PROXY: proxy }));
    expectNoSecret(output);
    expect(output.code).toBe(1);
    expect(output.lines.get('proxy')).toBe(`fail proxy: the proxy http://127.0.0.1:${port} cannot be reached (ECONNREFUSED) -> ${FIXES.proxy}`);
  });
});

describe('doctor fixes', () => {
  it('every fix the doctor prints is a Fix cell of the troubleshooting table in docs/ (code spans aside)', () => {
    const readme = readFileSync(join(ROOT, 'docs/troubleshooting.md'), 'utf8');
    const start = readme.indexOf('## Messages and error codes');
    const table = readme.slice(start, readme.indexOf('\n## ', start + 1));
    const fixCells = table
      .split('\n')
      .filter(line => line.startsWith('|'))
      .map(line => line.split('|').slice(1, -1).map(cell => cell.trim().replace(/`/g, '')).at(-1));
    for (const fix of Object.values(FIXES)) expect(fixCells).toContain(fix);
  });
});
