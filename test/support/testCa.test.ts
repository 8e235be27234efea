import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCa, type TestCa } from '../support/testCa';

function get(url: string, options: https.RequestOptions = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { ...options, timeout: 10_000 }, res => {
        let body = '';
        res.on('data', chunk => (body += String(chunk)));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      })
      .once('error', reject);
  });
}

/** Runs `https.get(url)` in a fresh node process with the given env; prints "ok" or the error code. */
function getInChild(url: string, env: NodeJS.ProcessEnv): Promise<string> {
  const script = `require('node:https').get(${JSON.stringify(url)}, r => { r.resume(); console.log('ok', r.statusCode); }).on('error', e => console.log(e.code))`;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['-e', script], { env, timeout: 20_000 }, (error, stdout) => (error ? reject(error) : resolve(stdout.trim())));
  });
}

describe('createTestCa', () => {
  let ca: TestCa;
  let server: https.Server;
  let url: string;

  beforeAll(async () => {
    ca = await createTestCa();
    const { cert, key } = await ca.issueServerCertificate();
    server = https.createServer({ cert, key }, (_req, res) => res.end('hello over tls'));
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise(resolve => server.close(resolve));
    await ca.close();
  });

  it('issues a server certificate that a client trusting the CA accepts, for 127.0.0.1 and localhost', async () => {
    expect(await get(url, { ca: ca.certPem })).toEqual({ status: 200, body: 'hello over tls' });
    expect((await get(url.replace('127.0.0.1', 'localhost'), { ca: ca.certPem, family: 4 })).status).toBe(200);
  });

  it('is refused by a client that does not trust the CA', async () => {
    await expect(get(url)).rejects.toMatchObject({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
  });

  it('is refused for a name it was not issued for', async () => {
    await expect(get(url, { ca: ca.certPem, servername: 'other.test' })).rejects.toMatchObject({ code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
  });

  it('another CA does not vouch for it', async () => {
    const other = await createTestCa({ commonName: 'Another Test CA' });
    await expect(get(url, { ca: other.certPem })).rejects.toMatchObject({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
  });

  it('makes a CA, not a leaf: CA:TRUE, signs the server certificate, with the requested SANs', async () => {
    const caCert = new X509Certificate(ca.certPem);
    expect(caCert.ca).toBe(true);
    const leaf = new X509Certificate((await ca.issueServerCertificate(['api.test', '10.1.2.3', '::1'])).cert);
    expect(leaf.ca).toBe(false);
    expect(leaf.verify(caCert.publicKey)).toBe(true);
    expect(leaf.checkIssued(caCert)).toBe(true);
    expect(leaf.subjectAltName).toBe('DNS:api.test, IP Address:10.1.2.3, IP Address:0:0:0:0:0:0:0:1');
  });

  it('writes the CA to a temp file that NODE_EXTRA_CA_CERTS accepts, and close() removes it', async () => {
    const file = await ca.writeCaFile();
    expect(readFileSync(file, 'utf8')).toBe(ca.certPem);
    expect(readFileSync(file, 'utf8')).not.toContain('PRIVATE KEY');
    const { NODE_EXTRA_CA_CERTS: _ignored, ...env } = process.env;
    expect(await getInChild(url, { ...env, NODE_EXTRA_CA_CERTS: file })).toBe('ok 200');
    expect(await getInChild(url, env)).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    await ca.close();
    expect(existsSync(file)).toBe(false);
  });
});
