import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { expect } from 'vitest';
import { startSpectroCloudEmulator } from '../../src/testing';
import type { EmulatorFaults, SpectroCloudEmulator } from '../../src/testing';
import { formatResult } from '../../src/doctor/DoctorCheck';
import { runDoctor } from '../../src/doctor/runDoctor';
import { redisCommand } from '../support/redisCommand';
import { startRedisServer, type RedisTestServer } from '../support/redisServer';
import { findLeakedSecret, registerSecret } from '../support/secrets';
import { createTempDir, removeTempDir } from '../support/tempDir';

/*
 * What the doctor tests share: an emulated tenant per test, a deployment's
 * config files written the way teams write them, a real redis-server that
 * requires the deployment's password, and the doctor run as the command line
 * (child process) or in-process with the same output.
 */
export const ROOT = join(__dirname, '../..');
export const CLIENT_ID = 'doctor-client';
export const CLIENT_SECRET = 'doctor-client-secret-3f9a1c07d2';
export const REDIS_PASSWORD = 'doctor-redis-password-77c1e0';
export const ENCRYPTION_KEY = Buffer.alloc(32, 7).toString('base64');
export const PROXY_PASSWORD = 'doctor-proxy-password-5b2d9e';
export const SECRETS = [CLIENT_SECRET, REDIS_PASSWORD, ENCRYPTION_KEY, PROXY_PASSWORD];
SECRETS.forEach(registerSecret);

/**
 * A cold child process loads the legacy auth backend, which takes up to ~25 s on
 * a busy 2-core machine: only the command line itself runs in child processes,
 * one at a time; the checks' failure cases run the same runDoctor in-process.
 */
export const RUN_TIMEOUT_MS = 150_000;

export interface DoctorOutput {
  code: number | null;
  stdout: string;
  stderr: string;
  lines: Map<string, string>;
}

export let dir: string;
let redis: RedisTestServer | undefined;
const emulators: SpectroCloudEmulator[] = [];

export const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy', 'ALL_PROXY', 'all_proxy'];
let restoreEnv: Record<string, string | undefined> = {};

/** Call in beforeAll: a temp dir, the redis-server, the process environment the in-process runs read. */
export async function setUpDoctorFixture(): Promise<void> {
  dir = await createTempDir('doctor-test');
  redis = await startRedisServer();
  // Set after start: the helper's readiness PING needs no password.
  await redisCommand(redis.port, 'CONFIG', 'SET', 'requirepass', REDIS_PASSWORD);
  // In-process runs: the secret the configs substitute, and no proxy from the machine running the tests.
  restoreEnv = Object.fromEntries(['DOCTOR_CLIENT_SECRET', ...PROXY_VARIABLES].map(name => [name, process.env[name]]));
  process.env.DOCTOR_CLIENT_SECRET = CLIENT_SECRET;
  for (const name of PROXY_VARIABLES) delete process.env[name];
}

/** The port of the fixture's redis-server (it requires REDIS_PASSWORD). */
export function redisPort(): number {
  return redis!.port;
}

/** Call in afterAll. */
export async function tearDownDoctorFixture(): Promise<void> {
  for (const [name, value] of Object.entries(restoreEnv)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  await Promise.all(emulators.map(emulator => emulator.close()));
  await redis?.stop();
  if (dir) await removeTempDir(dir);
}

/** An emulated tenant of its own per test, so faults never leak between tests running side by side. */
export async function tenant(faults: Partial<EmulatorFaults> = {}, tls?: { key: string; cert: string }): Promise<SpectroCloudEmulator> {
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
export async function deployment(
  name: string,
  emulator: SpectroCloudEmulator,
  extra?: string,
  options: { cors?: boolean; redisPort?: number } = {},
): Promise<string[]> {
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
      `    url: redis://:${REDIS_PASSWORD}@127.0.0.1:${options.redisPort ?? redis!.port}`,
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
      ...(options.cors === false ? [] : ['  cors:', '    origin: http://localhost:3000', '    credentials: true']),
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

export function runDoctorCli(configFiles: string[], env: Record<string, string | undefined> = {}, flags: string[] = []): Promise<DoctorOutput> {
  const args = ['--import', 'tsx', 'src/doctor/cli.ts', 'doctor', ...configFiles.flatMap(file => ['--config', file]), ...flags];
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
export async function runDoctorInProcess(configFiles: string[], env: Record<string, string | undefined> = {}): Promise<DoctorOutput> {
  const printed: string[] = [];
  const ok = await runDoctor({ configFiles, providerId: 'spectrocloud' }, (result, secrets) => printed.push(formatResult(result, secrets)), env);
  return toOutput(ok ? 0 : 1, printed.join('\n'), '');
}

/** For the in-process runs: what the config loader substitutes and proxy-from-env reads comes from process.env. */
export async function withProcessEnv<T>(values: Record<string, string | undefined>, run: () => Promise<T>): Promise<T> {
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

export function toOutput(code: number | null, stdout: string, stderr: string): DoctorOutput {
  const lines = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const match = /^(ok  |warn|fail) ([a-z-]+): /.exec(line);
    if (match) lines.set(match[2]!, line);
  }
  return { code, stdout, stderr, lines };
}

export function expectNoSecret(output: DoctorOutput) {
  expect(findLeakedSecret(`${output.stdout}\n${output.stderr}`, SECRETS)).toBeUndefined();
}

/** A loopback port nothing listens on. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise(resolve => server.close(resolve));
  return port;
}

