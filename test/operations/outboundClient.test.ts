import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SpectroCloudNetworkError } from '../../src/errors';
import { OutboundClient } from '../../src/http/OutboundClient';
import { trustedCertificates } from '../../src/http/trustedCertificates';
import { startForwardProxy, type ForwardProxy } from '../support/forwardProxy';
import { createTestCa, type TestCa } from '../support/testCa';

const MiB = 1024 * 1024;

async function listen(server: net.Server): Promise<number> {
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function close(server: net.Server) {
  return new Promise(resolve => server.close(resolve));
}

async function failure(promise: Promise<unknown>): Promise<SpectroCloudNetworkError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(SpectroCloudNetworkError);
  return error as SpectroCloudNetworkError;
}

describe('OutboundClient against real loopback servers', () => {
  let server: http.Server;
  let base = '';
  /** sockets the server saw close, per path prefix */
  let closedStalls = 0;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/stall') {
        req.socket.once('close', () => closedStalls++);
        return; // never answers
      }
      if (req.url === '/declared-big') {
        res.writeHead(200, { 'content-length': 50 * MiB });
        res.write(Buffer.alloc(1024));
        return; // the client must give up on the declared size alone
      }
      if (req.url === '/streamed-big') {
        res.writeHead(200); // chunked, no length
        const chunk = Buffer.alloc(64 * 1024, 'x');
        let sent = 0;
        const pump = () => {
          while (sent < 10 * MiB) {
            sent += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          res.end();
        };
        res.on('close', () => (sent = Number.POSITIVE_INFINITY));
        pump();
        return;
      }
      if (req.url === '/status') {
        res.writeHead(503, { 'content-type': 'application/json' });
        res.end('{"error":"temporarily_unavailable"}');
        return;
      }
      let body = '';
      req.on('data', chunk => (body += chunk));
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ method: req.method, body, contentType: req.headers['content-type'] ?? null }));
      });
    });
    base = `http://127.0.0.1:${await listen(server)}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await close(server);
  });

  it('sends a body and returns status, headers and JSON', async () => {
    const client = new OutboundClient({ timeoutMs: 5_000, maxResponseBytes: MiB, proxy: false });
    const response = await client.request('token', `${base}/echo`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'a=1',
    });
    expect(response.status).toBe(200);
    expect(response.json()).toEqual({ method: 'POST', body: 'a=1', contentType: 'application/x-www-form-urlencoded' });
    client.close();
  });

  it('returns HTTP error statuses to the caller instead of throwing', async () => {
    const client = new OutboundClient({ timeoutMs: 5_000, maxResponseBytes: MiB, proxy: false });
    const response = await client.request('jwks', `${base}/status`);
    expect(response.status).toBe(503);
    client.close();
  });

  it('aborts a stalled request at its deadline, destroys its socket and gives the pool slot back', async () => {
    // Two sockets only: without the destroy, six stalled requests would starve the next one for good.
    const client = new OutboundClient({ timeoutMs: 300, maxResponseBytes: MiB, proxy: false, maxSockets: 2 });
    const closedBefore = closedStalls;
    const errors = await Promise.all(Array.from({ length: 6 }, () => failure(client.request('token', `${base}/stall`))));
    for (const error of errors) {
      expect(error.code).toBe('ERR_TIMEOUT');
      expect(error.endpoint).toBe('token');
      expect(error.message).toBe("SpectroCloud's token endpoint did not answer within 300 ms; the request was aborted");
    }
    const answered = await client.request('token', `${base}/echo`);
    expect(answered.status).toBe(200);
    await expect.poll(() => closedStalls - closedBefore, { timeout: 5_000 }).toBeGreaterThanOrEqual(2);
    client.close();
  });

  it('refuses an answer whose declared length passes the limit before reading it', async () => {
    const client = new OutboundClient({ timeoutMs: 5_000, maxResponseBytes: MiB, proxy: false });
    const error = await failure(client.request('discovery', `${base}/declared-big`));
    expect(error.code).toBe('ERR_RESPONSE_TOO_LARGE');
    expect(error.endpoint).toBe('discovery');
    expect(error.message).toContain("SpectroCloud's discovery document sent an answer larger than 1048576 bytes");
    client.close();
  });

  it('cuts a streamed answer off as soon as it passes the limit', async () => {
    const client = new OutboundClient({ timeoutMs: 5_000, maxResponseBytes: 256 * 1024, proxy: false });
    const error = await failure(client.request('jwks', `${base}/streamed-big`));
    expect(error.code).toBe('ERR_RESPONSE_TOO_LARGE');
    client.close();
  });

  it('says a refused connection is unreachable, per endpoint, naming no host or port', async () => {
    const spare = net.createServer();
    const port = await listen(spare);
    await close(spare);
    const client = new OutboundClient({ timeoutMs: 5_000, maxResponseBytes: MiB, proxy: false });
    const codes = {
      token: 'ERR_TOKEN_ENDPOINT_UNREACHABLE',
      jwks: 'ERR_JWKS_UNAVAILABLE',
      discovery: 'ERR_DISCOVERY',
      userinfo: 'ERR_ENDPOINT_UNREACHABLE',
      revocation: 'ERR_ENDPOINT_UNREACHABLE',
    } as const;
    for (const [endpoint, code] of Object.entries(codes)) {
      const error = await failure(client.request(endpoint as keyof typeof codes, `http://127.0.0.1:${port}/x`));
      expect(error.code).toBe(code);
      expect(error.message).toMatch(/\(ECONNREFUSED\)$/);
      expect(error.message).not.toContain(String(port));
      expect(error.message).not.toContain('127.0.0.1');
    }
    client.close();
  });
});

describe('OutboundClient and a private CA', () => {
  let ca: TestCa;
  let server: https.Server;
  let url = '';
  beforeAll(async () => {
    ca = await createTestCa();
    const certificate = await ca.issueServerCertificate();
    server = https.createServer({ key: certificate.key, cert: certificate.cert }, (_req, res) => res.end('{"ok":true}'));
    url = `https://localhost:${await listen(server)}/ok`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await close(server);
    await ca.close();
  });

  it('fails with ERR_TLS and the fix when the CA is not trusted', async () => {
    const client = new OutboundClient({ timeoutMs: 5_000, maxResponseBytes: MiB, proxy: false });
    const error = await failure(client.request('token', url));
    expect(error.code).toBe('ERR_TLS');
    expect(error.message).toMatch(/^TLS with SpectroCloud's token endpoint failed \([A-Z_]+\): .*'ca' or 'caFile', or NODE_EXTRA_CA_CERTS$/);
    expect(error.message).not.toContain('localhost');
    client.close();
  });

  it('trusts the CA given per provider, on top of the public roots', async () => {
    const trusted = trustedCertificates([ca.certPem], {});
    expect(trusted!.length).toBeGreaterThan(100); // Node's roots are kept
    const client = new OutboundClient({ timeoutMs: 5_000, maxResponseBytes: MiB, proxy: false, ca: trusted });
    expect((await client.request('token', url)).json()).toEqual({ ok: true });
    client.close();
  });
});

describe('OutboundClient through a forwarding proxy', () => {
  let proxy: ForwardProxy;
  let server: http.Server;
  let target = '';
  const saved = { ...process.env };
  beforeAll(async () => {
    proxy = await startForwardProxy();
    server = http.createServer((_req, res) => res.end('{"ok":true}'));
    target = `127.0.0.1:${await listen(server)}`;
  });
  afterEach(async () => {
    for (const key of ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy']) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
    await proxy.resetCounts();
  });
  afterAll(async () => {
    await proxy?.close();
    server.closeAllConnections();
    await close(server);
  });

  it('goes through the proxy named per provider', async () => {
    const client = new OutboundClient({ timeoutMs: 5_000, maxResponseBytes: MiB, proxy: proxy.url });
    expect((await client.request('discovery', `http://${target}/a`)).status).toBe(200);
    expect((await client.request('jwks', `http://${target}/b`)).status).toBe(200);
    expect((await proxy.countFor(target)).http).toBe(2);
    client.close();
  });

  it('follows HTTP_PROXY, and NO_PROXY bypasses it', async () => {
    process.env.HTTP_PROXY = proxy.url;
    const client = new OutboundClient({ timeoutMs: 5_000, maxResponseBytes: MiB });
    await client.request('token', `http://${target}/c`);
    expect((await proxy.countFor(target)).http).toBe(1);

    process.env.NO_PROXY = '127.0.0.1';
    await client.request('token', `http://${target}/d`);
    expect((await proxy.countFor(target)).http).toBe(1);
    client.close();
  });

  it('says when the proxy itself cannot be reached, naming neither it nor the target', async () => {
    const spare = net.createServer();
    const port = await listen(spare);
    await close(spare);
    const client = new OutboundClient({ timeoutMs: 5_000, maxResponseBytes: MiB, proxy: `http://127.0.0.1:${port}` });
    const error = await failure(client.request('token', `http://${target}/f`));
    expect(error.code).toBe('ERR_TOKEN_ENDPOINT_UNREACHABLE');
    expect(error.message).toBe("Could not reach SpectroCloud's token endpoint through the configured proxy (check proxy, HTTPS_PROXY and NO_PROXY) (ECONNREFUSED)");
    client.close();
  });

  it('ignores the proxy variables with proxy: false', async () => {
    process.env.HTTP_PROXY = proxy.url;
    const client = new OutboundClient({ timeoutMs: 5_000, maxResponseBytes: MiB, proxy: false });
    await client.request('token', `http://${target}/e`);
    expect((await proxy.countFor(target)).http).toBe(0);
    client.close();
  });
});
