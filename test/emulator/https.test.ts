import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSpectroCloudEmulator, type SpectroCloudEmulator } from '../../src/testing';
import { registerSecret } from '../support/secrets';
import { ALICE, authParams, CLIENT, pathOf, pkcePair, REDIRECT_URI, startEmulator } from '../support/emulatorHelpers';

const ROOT = join(__dirname, '../..');

/** A throw-away self-signed certificate for 127.0.0.1, made with the openssl CLI in a temp dir. */
function selfSignedCertificate(dir: string): { key: string; cert: string; keyFile: string; certFile: string } {
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', keyFile, '-out', certFile],
    { stdio: 'ignore', timeout: 30_000 },
  );
  return { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8'), keyFile, certFile };
}

describe('HTTPS', () => {
  let dir: string;
  let tls: ReturnType<typeof selfSignedCertificate>;
  let emu: SpectroCloudEmulator;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'spectro-emulator-tls-'));
    tls = selfSignedCertificate(dir);
    emu = await startEmulator({ tls: { key: tls.key, cert: tls.cert } });
  });
  afterAll(async () => {
    await emu?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('uses https in the issuer and every URL it publishes', async () => {
    expect(emu.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const { body } = await request(emu.url).get(pathOf(emu.discoveryUrl)).ca(tls.cert);
    expect(body.issuer).toBe(emu.issuer);
    for (const key of ['issuer', 'authorization_endpoint', 'token_endpoint', 'jwks_uri', 'userinfo_endpoint', 'end_session_endpoint']) {
      expect(body[key]).toMatch(new RegExp(`^${emu.url}/`));
    }
  });

  it('signs a client that trusts the certificate in over https, with a Secure session cookie', async () => {
    const browser = request.agent(emu.url).ca(tls.cert);
    const { verifier, challenge } = pkcePair();
    const auth = await browser
      .get(pathOf(emu.authorizationUrl))
      .query(authParams({ login_hint: ALICE.email, code_challenge: challenge, code_challenge_method: 'S256' }))
      .redirects(0);
    expect(auth.status).toBe(302);
    expect((auth.headers['set-cookie'] as unknown as string[])[0]).toMatch(/; Secure/);
    const code = new URL(auth.headers.location).searchParams.get('code')!;
    registerSecret(code);

    const tokens = await browser.post(pathOf(emu.tokenUrl)).type('form').send({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
      client_id: CLIENT.clientId,
      client_secret: CLIENT.clientSecret,
      code_verifier: verifier,
    });
    for (const key of ['access_token', 'id_token', 'refresh_token']) registerSecret(tokens.body[key]);
    expect(tokens.status).toBe(200);

    const { body: jwks } = await browser.get(pathOf(emu.jwksUrl));
    const kid = jwt.decode(tokens.body.id_token, { complete: true })!.header.kid;
    const key = createPublicKey({ key: jwks.keys.find((k: { kid: string }) => k.kid === kid), format: 'jwk' });
    const claims = jwt.verify(tokens.body.id_token, key, { algorithms: ['RS256'], issuer: emu.issuer, audience: CLIENT.clientId });
    expect(claims).toMatchObject({ email: ALICE.email, iss: expect.stringMatching(/^https:/) });
  });

  it('is refused by a client that does not trust the certificate', async () => {
    await expect(request(emu.url).get(pathOf(emu.discoveryUrl))).rejects.toThrow(/self.signed/i);
  });

  it('refuses a tls option without PEM text, naming the option', async () => {
    await expect(startSpectroCloudEmulator({ clients: [CLIENT], tls: { key: tls.key } as never })).rejects.toThrow(/"tls"/);
  });

  describe('CLI', () => {
    let child: ChildProcess | undefined;
    afterEach(() => {
      child?.kill('SIGTERM');
      child = undefined;
    });

    it('serves https with --tls-key and --tls-cert', async () => {
      const args = ['--client-id', 'backstage', '--redirect-uri', REDIRECT_URI, '--port', '0', '--tls-key', tls.keyFile, '--tls-cert', tls.certFile];
      child = spawn(process.execPath, ['--import', 'tsx', 'src/testing/cli.ts', ...args], {
        cwd: ROOT,
        env: { ...process.env, SPECTROCLOUD_EMULATOR_CLIENT_SECRET: CLIENT.clientSecret },
      });
      const issuer = await new Promise<string>((resolve, reject) => {
        let printed = '';
        child!.stdout!.on('data', chunk => {
          printed += chunk;
          const match = /issuer:\s+(\S+)/.exec(printed);
          if (match && printed.includes('faults:')) resolve(match[1]);
        });
        child!.on('exit', code => reject(new Error(`CLI exited with ${code}`)));
      });
      expect(issuer).toMatch(/^https:\/\/127\.0\.0\.1:\d+\//);
      const res = await request(new URL(issuer).origin).get(`${new URL(issuer).pathname}/.well-known/openid-configuration`).ca(tls.cert);
      expect(res.body.token_endpoint).toBe(`${issuer}/token`);
    });
  });
});
