import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXES } from '../../src/doctor/fixes';
import { createTestCa } from '../support/testCa';
import {
  CLIENT_ID, PROXY_PASSWORD, ROOT, RUN_TIMEOUT_MS, closedPort, deployment, dir, expectNoSecret, runDoctorCli, runDoctorInProcess,
  setUpDoctorFixture, tearDownDoctorFixture, tenant, withProcessEnv,
} from './fixture';

beforeAll(setUpDoctorFixture);
afterAll(tearDownDoctorFixture);

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
    expect([...output.lines.keys()]).toEqual([
      'config', 'callback-url', 'base-urls', 'cors', 'session-secret', 'scope', 'token-store', 'api-token-cookie', 'concurrent-refresh',
      'ca', 'discovery', 'issuer', 'proxy', 'jwks', 'signing-keys', 'clock-skew', 'client-credentials', 'callback-registered', 'start-url',
    ]);
    for (const line of output.lines.values()) expect(line).toMatch(/^ok {3}/);
    expect(output.lines.get('config')).toContain('token store redis');
    expect(output.lines.get('proxy')).toContain('direct (NO_PROXY matches)');
    expect(output.lines.get('jwks')).toContain('1 of 1 key(s) usable with RS256');
    expect(output.lines.get('signing-keys')).toBe('ok   signing-keys: 1 of 1 published key(s) meet the key rules');
    expect(output.lines.get('token-store')).toBe('ok   token-store: Redis answered with the configured credentials; encrypted at rest (AES-256-GCM)');
    expect(output.lines.get('concurrent-refresh')).toBe(
      'ok   concurrent-refresh: one refresh grant per session across replicas: claimed and shared through Redis, results kept 30 s (3 x timeout)',
    );
    expect(output.lines.get('client-credentials')).toBe(
      `ok   client-credentials: clientId '${CLIENT_ID}' with client_secret_post accepted: a made-up code was refused with invalid_grant (HTTP 400)`,
    );
    const startUrl = new URL(output.lines.get('start-url')!.replace(/^ok {3}start-url: /, ''));
    expect(startUrl.origin + startUrl.pathname).toBe(emulator.authorizationUrl);
    expect(Object.fromEntries(startUrl.searchParams)).toMatchObject({
      client_id: CLIENT_ID,
      redirect_uri: 'http://localhost:7007/api/auth/spectrocloud/handler/frame',
      response_type: 'code',
      scope: 'openid profile email',
      code_challenge_method: 'S256',
    });
    expect(output.lines.get('api-token-cookie')).toBe('ok   api-token-cookie: the Palette token stays server-side (no spectrocloud-api-token cookie)');
    expect(output.stdout).toContain('doctor: all checks passed\n');
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

  it('warns, without failing, when tokenStore.apiTokenCookie sends the raw session token to the browser', { timeout: RUN_TIMEOUT_MS }, async () => {
    const emulator = await tenant();
    const files = await deployment('api-token-cookie', emulator, 'auth:\n  providers:\n    spectrocloud:\n      tokenStore:\n        apiTokenCookie: true\n');
    const output = await runDoctorInProcess(files);
    expectNoSecret(output);
    expect(output.code).toBe(0);
    expect(output.lines.get('api-token-cookie')).toBe(
      `warn api-token-cookie: auth.providers.spectrocloud.tokenStore.paletteTokenCookie (or apiTokenCookie) is true: every sign-in also writes the raw Palette token to the browser (spectrocloud-api-token cookie, HttpOnly) -> ${FIXES.apiTokenCookie}`,
    );
    expect([...output.lines.values()].filter(line => !line.startsWith('ok   '))).toEqual([output.lines.get('api-token-cookie')]);
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
