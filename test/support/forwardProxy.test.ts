import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ForwardProxy, startForwardProxy } from '../support/forwardProxy';
import { getFreePort } from '../support/redisServer';
import { registerSecret } from '../support/secrets';
import { createTestCa, type TestCa } from '../support/testCa';

function listen(server: http.Server): Promise<number> {
  return new Promise(resolve => server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)));
}

function close(server: http.Server): Promise<void> {
  server.closeAllConnections();
  return new Promise(resolve => server.close(() => resolve()));
}

function readBody(res: http.IncomingMessage): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    let body = '';
    res.on('data', chunk => (body += String(chunk)));
    res.once('end', () => resolve({ status: res.statusCode!, body }));
    res.once('error', reject);
  });
}

/** A plain-http request through the proxy: absolute URI in the request line. */
function getViaProxy(proxy: ForwardProxy, url: string, method = 'GET', body?: string, headers: http.OutgoingHttpHeaders = {}) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: proxy.port, method, path: url, headers: { host: new URL(url).host, ...headers }, timeout: 10_000 }, res =>
      readBody(res).then(resolve, reject),
    );
    req.once('error', reject);
    req.end(body);
  });
}

/** CONNECT through the proxy, then TLS to the target inside the tunnel (what a proxy agent does). */
function getHttpsViaProxy(proxy: ForwardProxy, url: string, ca: string, headers: http.OutgoingHttpHeaders = {}) {
  const target = new URL(url);
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const connect = http.request({ host: '127.0.0.1', port: proxy.port, method: 'CONNECT', path: target.host, headers, timeout: 10_000 });
    connect.once('error', reject);
    connect.once('connect', (res, socket) => {
      if (res.statusCode !== 200) {
        socket.destroy();
        reject(new Error(`CONNECT answered ${res.statusCode}`));
        return;
      }
      const req = https.request(url, { createConnection: () => tls.connect({ socket, ca, servername: net.isIP(target.hostname) ? undefined : target.hostname }) }, response =>
        readBody(response).then(resolve, reject),
      );
      req.once('error', reject);
      req.end();
    });
    connect.end();
  });
}

describe('startForwardProxy', () => {
  let proxy: ForwardProxy;
  let ca: TestCa;
  let plain: http.Server;
  let secure: https.Server;
  let plainUrl: string;
  let secureUrl: string;

  beforeAll(async () => {
    ca = await createTestCa();
    proxy = await startForwardProxy();
    plain = http.createServer((req, res) => {
      let body = '';
      req.on('data', chunk => (body += String(chunk)));
      req.on('end', () => res.end(`${req.method} ${req.url} ${body}`));
    });
    secure = https.createServer(await ca.issueServerCertificate(), (req, res) => res.end(`tls ${req.url}`));
    plainUrl = `http://127.0.0.1:${await listen(plain)}`;
    secureUrl = `https://127.0.0.1:${await listen(secure)}`;
  });
  afterAll(async () => {
    await proxy?.close();
    await close(plain);
    await close(secure);
    await ca.close();
  });

  it('forwards absolute-URI GET and POST and counts them per target', async () => {
    await proxy.resetCounts();
    expect(await getViaProxy(proxy, `${plainUrl}/hello?x=1`)).toEqual({ status: 200, body: 'GET /hello?x=1 ' });
    expect(await getViaProxy(proxy, `${plainUrl}/token`, 'POST', 'grant_type=x')).toEqual({ status: 200, body: 'POST /token grant_type=x' });
    expect(await proxy.countFor(new URL(plainUrl).host)).toEqual({ connect: 0, http: 2 });
  });

  it('opens CONNECT tunnels for https and counts them per target', async () => {
    await proxy.resetCounts();
    expect(await getHttpsViaProxy(proxy, `${secureUrl}/jwks`, ca.certPem)).toEqual({ status: 200, body: 'tls /jwks' });
    expect(await proxy.counts()).toEqual({ [new URL(secureUrl).host]: { connect: 1, http: 0 } });
  });

  it('counts nothing for a request that did not go through it', async () => {
    await proxy.resetCounts();
    const direct = await fetch(`${plainUrl}/direct`);
    expect(await direct.text()).toBe('GET /direct ');
    expect(await proxy.counts()).toEqual({});
    expect(await proxy.countFor(new URL(plainUrl).host)).toEqual({ connect: 0, http: 0 });
  });

  it('answers a tunnel to a closed port with an error status, still counting the attempt', async () => {
    await proxy.resetCounts();
    const closedPort = await getFreePort();
    await expect(getHttpsViaProxy(proxy, `https://127.0.0.1:${closedPort}/`, ca.certPem)).rejects.toThrow(/CONNECT answered [45]\d\d/);
    expect(await proxy.countFor(`127.0.0.1:${closedPort}`)).toEqual({ connect: 1, http: 0 });
  });

  it('with basicAuth, demands the credentials (407) for tunnels and requests, and counts the refusals', async () => {
    const password = 'proxy-password-4b9e1c7a';
    registerSecret(password);
    const guarded = await startForwardProxy({ basicAuth: { username: 'corp-user', password } });
    try {
      const authorization = { 'proxy-authorization': `Basic ${Buffer.from(`corp-user:${password}`).toString('base64')}` };
      await expect(getHttpsViaProxy(guarded, `${secureUrl}/`, ca.certPem)).rejects.toThrow('CONNECT answered 407');
      expect((await getViaProxy(guarded, `${plainUrl}/x`)).status).toBe(407);
      expect(await getHttpsViaProxy(guarded, `${secureUrl}/ok`, ca.certPem, authorization)).toEqual({ status: 200, body: 'tls /ok' });
      expect((await getViaProxy(guarded, `${plainUrl}/ok`, 'GET', undefined, authorization)).body).toBe('GET /ok ');
      expect(await guarded.countFor(new URL(secureUrl).host)).toEqual({ connect: 2, http: 0 });
      expect(await guarded.countFor(new URL(plainUrl).host)).toEqual({ connect: 0, http: 2 });
      expect(await guarded.authRejectedFor(new URL(secureUrl).host)).toBe(1);
      expect(await guarded.authRejectedFor(new URL(plainUrl).host)).toBe(1);
      expect(await proxy.authRejectedFor(new URL(plainUrl).host)).toBe(0);
      expect(readFileSync(`/proc/${guarded.pid}/cmdline`, 'utf8')).not.toContain(password); // env, not argv
    } finally {
      await guarded.close();
    }
  });

  it('close() ends the proxy process', async () => {
    const own = await startForwardProxy();
    await own.close();
    const error = await new Promise<NodeJS.ErrnoException>(resolve => net.connect(own.port, '127.0.0.1').once('error', resolve));
    expect(error.code).toBe('ECONNREFUSED');
  });
});
