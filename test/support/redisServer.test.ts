import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import Redis from 'ioredis';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type RedisTestServer, ping, startRedisServer } from '../support/redisServer';

/** 'T' while SIGSTOPped, per /proc/<pid>/stat. */
function processState(pid: number): string {
  return readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0]!;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function connectError(port: number): Promise<string | undefined> {
  return new Promise(resolve => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(undefined);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code));
  });
}

/** Sends PING and resolves with the reply whenever it comes. */
function pendingPing(port: number): { sent: Promise<void>; reply: Promise<string>; socket: net.Socket } {
  const socket = net.connect(port, '127.0.0.1');
  const sent = new Promise<void>(resolve => socket.once('connect', () => socket.write('PING\r\n', () => resolve())));
  const reply = new Promise<string>((resolve, reject) => {
    socket.once('data', chunk => {
      socket.destroy();
      resolve(String(chunk));
    });
    socket.once('error', reject);
  });
  return { sent, reply, socket };
}

describe('startRedisServer', () => {
  const servers: RedisTestServer[] = [];
  const clients: Redis[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) client.disconnect();
    for (const server of servers.splice(0)) await server.close();
  });

  async function start(options?: Parameters<typeof startRedisServer>[0]) {
    const server = await startRedisServer(options);
    servers.push(server);
    return server;
  }

  function client(server: RedisTestServer) {
    const redis = new Redis(server.url, { maxRetriesPerRequest: 1, retryStrategy: () => 50 });
    redis.on('error', () => undefined);
    clients.push(redis);
    return redis;
  }

  it('runs a real redis-server on loopback in its own temp dir, and close() ends it and removes the dir', async () => {
    const server = await start();
    expect(server.url).toBe(`redis://127.0.0.1:${server.port}`);
    expect(await client(server).ping()).toBe('PONG');
    expect(readFileSync(`/proc/${server.pid}/cmdline`, 'utf8')).toContain('redis-server');
    const { pid, dir } = server;
    expect(existsSync(dir)).toBe(true);
    await server.close();
    expect(isAlive(pid)).toBe(false);
    expect(existsSync(dir)).toBe(false);
    await server.close(); // twice is fine
  });

  it('freeze() stops the process so nothing answers, thaw() lets the queued command through', async () => {
    const server = await start();
    await server.freeze();
    expect(processState(server.pid)).toBe('T');
    const pending = pendingPing(server.port); // the kernel still accepts the connection
    await pending.sent;
    let answered = false;
    void pending.reply.then(() => (answered = true));
    expect(processState(server.pid)).toBe('T');
    expect(answered).toBe(false);
    await server.thaw();
    expect(await pending.reply).toBe('+PONG\r\n');
    expect(processState(server.pid)).not.toBe('T');
  });

  it('kill() closes the port (ECONNREFUSED); restart() serves the same port again, empty without appendonly', async () => {
    const server = await start();
    const redis = client(server);
    await redis.set('kept?', 'no');
    const firstPid = server.pid;
    await server.kill();
    expect(isAlive(firstPid)).toBe(false);
    expect(await connectError(server.port)).toBe('ECONNREFUSED');
    await server.restart();
    expect(server.pid).not.toBe(firstPid);
    expect(await ping(server.port)).toBe(true);
    expect(await redis.get('kept?')).toBeNull();
  });

  it('keeps acknowledged writes across a SIGKILL and restart with appendonly', async () => {
    const server = await start({ appendonly: true });
    const redis = client(server);
    for (let i = 0; i < 100; i++) await redis.set(`key:${i}`, `value:${i}`);
    await server.kill();
    await server.restart();
    expect(await redis.get('key:0')).toBe('value:0');
    expect(await redis.get('key:99')).toBe('value:99');
    expect(await redis.dbsize()).toBe(100);
  });

  it('restart() can follow a frozen server and a stop() (what existing callers do)', async () => {
    const server = await start();
    await server.freeze();
    await server.restart();
    expect(await ping(server.port)).toBe(true);
    await server.stop();
    expect(await connectError(server.port)).toBe('ECONNREFUSED');
    await server.restart();
    expect(existsSync(server.dir)).toBe(true);
    await vi.waitFor(async () => expect(await ping(server.port)).toBe(true), { timeout: 5_000 });
  });

  it('passes extra arguments to redis-server', async () => {
    const server = await start({ args: ['--maxmemory', '12mb'] });
    expect(await client(server).config('GET', 'maxmemory')).toEqual(['maxmemory', String(12 * 1024 * 1024)]);
  });
});
