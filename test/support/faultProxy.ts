import net from 'node:net';

/**
 * A loopback TCP proxy in front of one target (an emulator, a redis-server)
 * whose behaviour the test switches at runtime, to see what users get while
 * the target is down, stalled or dropping connections.
 *
 * Modes (setMode(), applies to connections accepted from then on):
 * - `pass`: forward both ways (optionally with delay(ms) of latency).
 * - `refuse`: the proxy stops listening, so new connections fail with
 *   ECONNREFUSED as with a stopped server. Leaving `refuse` listens on the
 *   same port again (if another process took the port meanwhile, setMode
 *   rejects; with random ports this is very unlikely).
 * - `blackhole`: accept, read and discard, never answer, never close: what a
 *   stalled server or a firewall dropping packets looks like.
 * - `reset`: accept, then RST as soon as the request's first bytes arrive
 *   (ECONNRESET at the client).
 *
 * dropAll() resets every open connection (whatever its mode); close() does
 * the same and stops listening. Counters are cumulative from the start.
 * Runs in the test process (no child process); fine with hundreds of
 * concurrent connections.
 */
export type FaultMode = 'pass' | 'refuse' | 'blackhole' | 'reset';

export interface FaultProxyStats {
  /** connections accepted since the start, in any mode */
  accepted: number;
  acceptedByMode: Record<Exclude<FaultMode, 'refuse'>, number>;
  /** client connections open right now */
  open: number;
  /** bytes read from clients (forwarded in `pass`, discarded otherwise) */
  bytesFromClients: number;
  /** bytes read from the target and forwarded to clients */
  bytesFromTarget: number;
  /** connections the target itself refused or broke (in `pass`) */
  targetErrors: number;
}

export interface FaultProxy {
  host: '127.0.0.1';
  port: number;
  /** `${scheme}://127.0.0.1:${port}` */
  origin(scheme?: string): string;
  readonly mode: FaultMode;
  setMode(mode: FaultMode): Promise<void>;
  /** Latency added to every chunk forwarded in `pass`, both ways, for connections accepted from now on; 0 removes it. */
  delay(ms: number): void;
  stats(): FaultProxyStats;
  /** Resets (RST) every open client connection and its target connection. */
  dropAll(): void;
  close(): Promise<void>;
}

export async function startFaultProxy(options: { target: { host?: string; port: number }; mode?: FaultMode }): Promise<FaultProxy> {
  const target = { host: options.target.host ?? '127.0.0.1', port: options.target.port };
  let mode: FaultMode = options.mode === 'refuse' ? 'pass' : (options.mode ?? 'pass');
  let delayMs = 0;
  let closed = false;
  const open = new Set<net.Socket>();
  /** client socket -> its connection to the target (in `pass`) */
  const upstreamOf = new Map<net.Socket, net.Socket>();
  const stats = {
    accepted: 0,
    acceptedByMode: { pass: 0, blackhole: 0, reset: 0 },
    bytesFromClients: 0,
    bytesFromTarget: 0,
    targetErrors: 0,
  };

  const track = (socket: net.Socket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
    socket.on('error', () => undefined); // the client going away is part of the test
  };

  const onConnection = (client: net.Socket) => {
    track(client);
    const connectionMode = mode === 'refuse' ? 'reset' : mode; // accepted just before the listener closed
    stats.accepted++;
    stats.acceptedByMode[connectionMode]++;
    client.on('data', chunk => (stats.bytesFromClients += chunk.length));
    if (connectionMode === 'blackhole') {
      client.resume();
    } else if (connectionMode === 'reset') {
      client.once('data', () => client.resetAndDestroy());
      client.once('end', () => client.destroy());
    } else {
      forward(client, delayMs);
    }
  };

  const resetBoth = (client: net.Socket) => {
    if (!client.destroyed) client.resetAndDestroy();
    upstreamOf.get(client)?.destroy();
  };

  const forward = (client: net.Socket, latencyMs: number) => {
    const upstream = net.connect(target.port, target.host);
    upstreamOf.set(client, upstream);
    upstream.on('data', chunk => (stats.bytesFromTarget += chunk.length));
    upstream.once('error', () => {
      stats.targetErrors++;
      if (!client.destroyed) client.resetAndDestroy();
    });
    client.once('close', () => {
      upstreamOf.delete(client);
      upstream.destroy();
    });
    upstream.once('close', () => {
      // An upstream that closed cleanly was ended by pipe/end; one that broke resets the client.
      if (!client.destroyed && !client.writableEnded) client.resetAndDestroy();
    });
    if (latencyMs <= 0) {
      client.pipe(upstream);
      upstream.pipe(client);
      return;
    }
    // Same delay for every chunk: Node runs equal-duration timers in order, so order is kept.
    // No backpressure here: fine for test-sized traffic.
    const relay = (from: net.Socket, to: net.Socket) => {
      from.on('data', chunk => setTimeout(() => to.destroyed || to.write(chunk), latencyMs));
      from.once('end', () => setTimeout(() => to.destroyed || to.end(), latencyMs));
    };
    relay(client, upstream);
    relay(upstream, client);
  };

  let listener = await listen(0, onConnection);
  const { port } = listener.address() as net.AddressInfo;
  if (options.mode === 'refuse') {
    listener.close();
    mode = 'refuse';
  }

  return {
    host: '127.0.0.1',
    port,
    origin: (scheme = 'http') => `${scheme}://127.0.0.1:${port}`,
    get mode() {
      return mode;
    },
    async setMode(next) {
      if (closed) throw new Error('fault proxy is closed');
      if (next === mode) return;
      if (next === 'refuse') {
        listener.close(); // stops accepting now; open connections carry on
      } else if (mode === 'refuse') {
        listener = await listen(port, onConnection).catch((error: NodeJS.ErrnoException) => {
          throw new Error(`fault proxy could not listen on port ${port} again (${error.code}): another process took it`);
        });
      }
      mode = next;
    },
    delay(ms) {
      delayMs = Math.max(0, ms);
    },
    stats: () => ({ ...stats, acceptedByMode: { ...stats.acceptedByMode }, open: open.size }),
    dropAll() {
      for (const socket of open) resetBoth(socket);
    },
    async close() {
      if (closed) return;
      closed = true;
      const stopped = new Promise<void>(resolve => (listener.listening ? listener.close(() => resolve()) : resolve()));
      for (const socket of open) resetBoth(socket);
      await stopped;
    },
  };
}

function listen(port: number, onConnection: (socket: net.Socket) => void): Promise<net.Server> {
  // allowHalfOpen: a blackholed client that ends its side must not get a FIN back.
  const server = net.createServer({ allowHalfOpen: true }, onConnection);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host: '127.0.0.1', backlog: 1024 }, () => {
      server.removeListener('error', reject);
      resolve(server);
    });
  });
}
