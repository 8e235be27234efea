import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type FaultProxy, startFaultProxy } from '../support/faultProxy';

/** A real TCP echo server: what goes in comes back. Counts the connections it got. */
async function startEchoServer() {
  let connections = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer(socket => {
    connections++;
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.pipe(socket);
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    connections: () => connections,
    close: () =>
      new Promise<void>(resolve => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.removeListener('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

function connectError(port: number): Promise<string | undefined> {
  return connect(port).then(
    socket => {
      socket.destroy();
      return undefined;
    },
    (error: NodeJS.ErrnoException) => error.code,
  );
}

/** Writes `payload` and resolves once the same number of bytes came back. */
function echo(socket: net.Socket, payload: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      length += chunk.length;
      if (length >= payload.length) {
        socket.removeListener('data', onData);
        resolve(Buffer.concat(chunks));
      }
    };
    socket.on('data', onData);
    socket.once('error', reject);
    socket.write(payload);
  });
}

/** Resolves with the error code (or 'close') that ends the socket. */
function ending(socket: net.Socket): Promise<string> {
  return new Promise(resolve => {
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    socket.once('close', () => resolve('close'));
  });
}

describe('startFaultProxy', () => {
  let target: Awaited<ReturnType<typeof startEchoServer>>;
  const proxies: FaultProxy[] = [];
  beforeAll(async () => {
    target = await startEchoServer();
  });
  afterAll(async () => {
    for (const proxy of proxies) await proxy.close();
    await target.close();
  });

  async function proxy(mode?: Parameters<typeof startFaultProxy>[0]['mode']) {
    const started = await startFaultProxy({ target: { port: target.port }, mode });
    proxies.push(started);
    return started;
  }

  it('passes bytes both ways and counts them', async () => {
    const p = await proxy();
    const socket = await connect(p.port);
    const payload = Buffer.alloc(64 * 1024, 'x');
    expect((await echo(socket, payload)).equals(payload)).toBe(true);
    expect(p.stats()).toMatchObject({ accepted: 1, open: 1, bytesFromClients: payload.length, bytesFromTarget: payload.length });
    socket.end();
    await vi.waitFor(() => expect(p.stats().open).toBe(0), { timeout: 5_000, interval: 10 });
  });

  it('carries 200 concurrent connections and counts every byte', async () => {
    const p = await proxy();
    const payload = Buffer.alloc(1024, 'y');
    const sockets = await Promise.all(Array.from({ length: 200 }, () => connect(p.port)));
    await vi.waitFor(() => expect(p.stats().open).toBe(200), { timeout: 5_000, interval: 10 });
    const replies = await Promise.all(sockets.map(socket => echo(socket, payload)));
    expect(replies.every(reply => reply.equals(payload))).toBe(true);
    expect(p.stats()).toMatchObject({ accepted: 200, bytesFromClients: 200 * 1024, bytesFromTarget: 200 * 1024, targetErrors: 0 });
    for (const socket of sockets) socket.end();
    await vi.waitFor(() => expect(p.stats().open).toBe(0), { timeout: 5_000, interval: 10 });
  });

  it('holds 150 blackholed connections, then dropAll() and pass serve new ones at once', async () => {
    const p = await proxy('blackhole');
    const stuck = await Promise.all(Array.from({ length: 150 }, () => connect(p.port)));
    const endings = stuck.map(socket => ending(socket));
    for (const socket of stuck) socket.write('request');
    await vi.waitFor(() => expect(p.stats()).toMatchObject({ open: 150, bytesFromClients: 150 * 7 }), { timeout: 10_000, interval: 10 });
    await p.setMode('pass');
    p.dropAll();
    expect(new Set(await Promise.all(endings))).toEqual(new Set(['ECONNRESET']));
    const fresh = await Promise.all(Array.from({ length: 50 }, () => connect(p.port)));
    const replies = await Promise.all(fresh.map(socket => echo(socket, Buffer.from('back'))));
    expect(replies.map(String)).toEqual(Array(50).fill('back'));
    for (const socket of fresh) socket.destroy();
    expect(p.stats().acceptedByMode).toEqual({ pass: 50, blackhole: 150, reset: 0 });
  });

  it('refuse: new connections get ECONNREFUSED; back to pass on the same port', async () => {
    const p = await proxy();
    await p.setMode('refuse');
    expect(await connectError(p.port)).toBe('ECONNREFUSED');
    await p.setMode('pass');
    const socket = await connect(p.port);
    expect(String(await echo(socket, Buffer.from('again')))).toBe('again');
    socket.destroy();
  });

  it('can start refusing', async () => {
    const p = await proxy('refuse');
    expect(p.mode).toBe('refuse');
    expect(await connectError(p.port)).toBe('ECONNREFUSED');
  });

  it('blackhole: accepts and reads, never answers, never closes, never reaches the target', async () => {
    const p = await proxy('blackhole');
    const before = target.connections();
    const socket = await connect(p.port);
    const received: Buffer[] = [];
    socket.on('data', chunk => received.push(chunk));
    const ended = ending(socket);
    const request = Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    socket.write(request);
    socket.end(); // even a half-closed client gets no FIN back
    await vi.waitFor(() => expect(p.stats().bytesFromClients).toBe(request.length), { timeout: 5_000, interval: 10 });
    expect(received).toEqual([]);
    expect(socket.destroyed).toBe(false);
    expect(p.stats()).toMatchObject({ open: 1, acceptedByMode: { blackhole: 1 } });
    expect(target.connections()).toBe(before);
    p.dropAll();
    expect(await ended).toBe('ECONNRESET');
    expect(received).toEqual([]);
  });

  it('blackhole holds an HTTP request until the client gives up', async () => {
    const p = await proxy('blackhole');
    const controller = new AbortController();
    const pending = fetch(`${p.origin()}/`, { signal: controller.signal });
    await vi.waitFor(() => expect(p.stats().bytesFromClients).toBeGreaterThan(0), { timeout: 5_000, interval: 10 });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('reset: RST once the request arrives (ECONNRESET), without touching the target', async () => {
    const p = await proxy('reset');
    const before = target.connections();
    const socket = await connect(p.port);
    const ended = ending(socket);
    socket.write('hello');
    expect(await ended).toBe('ECONNRESET');
    expect(target.connections()).toBe(before);
    expect(p.stats().acceptedByMode.reset).toBe(1);

    const error = await new Promise<NodeJS.ErrnoException>(resolve => {
      http.get(`${p.origin()}/`, () => undefined).once('error', resolve);
    });
    expect(error.code).toBe('ECONNRESET');
  });

  it('setMode applies to new connections; dropAll() resets the ones already open', async () => {
    const p = await proxy();
    const early = await connect(p.port);
    expect(String(await echo(early, Buffer.from('one')))).toBe('one');
    await p.setMode('blackhole');
    expect(String(await echo(early, Buffer.from('two')))).toBe('two'); // still passing
    const late = await connect(p.port);
    late.write('three');
    await vi.waitFor(() => expect(p.stats().acceptedByMode.blackhole).toBe(1), { timeout: 5_000, interval: 10 });
    const endings = [ending(early), ending(late)];
    p.dropAll();
    expect(await Promise.all(endings)).toEqual(['ECONNRESET', 'ECONNRESET']);
    await vi.waitFor(() => expect(p.stats().open).toBe(0), { timeout: 5_000, interval: 10 });
  });

  it('delay(ms) adds latency each way to connections accepted afterwards', async () => {
    const p = await proxy();
    p.delay(150);
    const socket = await connect(p.port);
    const started = performance.now();
    expect(String(await echo(socket, Buffer.from('slow')))).toBe('slow');
    // A lower bound only: timers never fire early, a loaded machine only adds time.
    expect(performance.now() - started).toBeGreaterThanOrEqual(2 * 150 - 5);
    socket.destroy();
    p.delay(0);
  });

  it('keeps a whole HTTP exchange intact, with and without delay, when the server closes after replying', async () => {
    const server = http.createServer((_req, res) => res.end('x'.repeat(100_000)));
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const p = await startFaultProxy({ target: { port: (server.address() as net.AddressInfo).port } });
    proxies.push(p);
    const direct = await fetch(`${p.origin()}/`, { headers: { connection: 'close' } });
    expect((await direct.text()).length).toBe(100_000);
    p.delay(100);
    const started = performance.now();
    const response = await fetch(`${p.origin()}/`, { headers: { connection: 'close' } });
    expect((await response.text()).length).toBe(100_000);
    expect(performance.now() - started).toBeGreaterThanOrEqual(2 * 100 - 5);
    server.closeAllConnections();
    await new Promise(resolve => server.close(resolve));
  });

  it('a target that refuses shows up as a reset client and a counted target error', async () => {
    const closedTarget = await startEchoServer();
    await closedTarget.close();
    const p = await startFaultProxy({ target: { port: closedTarget.port } });
    proxies.push(p);
    const socket = await connect(p.port);
    expect(await ending(socket)).toBe('ECONNRESET');
    expect(p.stats().targetErrors).toBe(1);
  });

  it('close() resets open connections and stops listening', async () => {
    const p = await proxy();
    const socket = await connect(p.port);
    const ended = ending(socket);
    await p.close();
    expect(await ended).toBe('ECONNRESET');
    expect(await connectError(p.port)).toBe('ECONNREFUSED');
  });
});
