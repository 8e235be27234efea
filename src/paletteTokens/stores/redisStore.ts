import { createHash } from 'node:crypto';
import type { RedisConnectionConfig } from './config';
import { SpectroCloudTokenStoreError, describeConnectionFailure, sanitizeCause } from '../errors';
// Named through the main entry, so the published types of .../palette-tokens point there.
import { connectRedis, type RedisClient, type RedisConnection } from './redisConnection';
import type { SpectroCloudLogger } from '../../logger';
import type { SpectroCloudStore } from '../../ttlStore/types';

export interface RedisStoreOptions {
  /**
   * How to reach Redis: an ioredis client (standalone, Sentinel or Cluster),
   * a `redis://` / `rediss://` URL, or a {@link RedisConnectionConfig} with
   * `url`, `sentinels` + `name`, or `cluster.nodes` (default
   * `redis://127.0.0.1:6379`). A client you pass in stays yours: `close()`
   * does not disconnect it.
   */
  client?: RedisClient | string | RedisConnectionConfig;
  /** Prepended to every key. Default `spectrocloud:session:` (or the connection config's `keyPrefix`). */
  keyPrefix?: string;
  /** Counts the events this store emits (SpectroCloudAuthMetrics implements it). */
  metrics?: { recordTokenStore(event: 'hits' | 'misses' | 'errors'): void };
  logger?: SpectroCloudLogger;
  /** Epoch-milliseconds clock used to turn `expiresAt` into a TTL. Default `Date.now`. */
  clock?: () => number;
  /** Longest any operation may take, connecting included, before it fails as unavailable. Default 2000 ms. */
  timeoutMs?: number;
}

/**
 * Palette tokens (and sign-outs, refresh-grant claims) in Redis, shared by every backend replica and kept across
 * restarts. Each entry expires in Redis itself (`SET ... PX`), and keys are
 * SHA-256 hashes so user identifiers cannot be read out of Redis.
 *
 * Standalone, Sentinel and Cluster all work through ioredis's own support.
 * Every operation touches one key, so keys spread over a cluster's slots.
 * With `waitForReplicas` (default 1 behind Sentinel) a write counts only once
 * that many replicas hold it (Redis `WAIT`, sent in the same round trip), so
 * a failover that completes loses no Palette token.
 *
 * Fails fast: when Redis is down a call rejects within `timeoutMs` with a
 * {@link SpectroCloudTokenStoreError} (`ERR_TOKEN_STORE_UNAVAILABLE`) instead
 * of queueing; its message never names a host or port. The client reconnects
 * in the background and later calls succeed once Redis is back. ioredis
 * `error` events are handled (logged once per outage).
 *
 * ioredis is an optional peer dependency, loaded only when no client is given.
 */
export class RedisStore implements SpectroCloudStore {
  private readonly keyPrefix: string;
  private readonly metrics?: RedisStoreOptions['metrics'];
  private readonly logger?: SpectroCloudLogger;
  private readonly clock: () => number;
  private readonly timeoutMs: number;
  private readonly ownsClient: boolean;
  private readonly connection: Promise<RedisConnection>;
  private connecting?: Promise<void>;
  private nextReady?: Promise<void>;
  /** How long a command that found the client between connections waits for it (a failover's reconnect). */
  private readonly reconnectGraceMs: number;
  private lastConnectionError?: string;
  private outageLogged = false;
  private closed = false;
  private readonly onError = (error: unknown) => this.handleClientError(error);
  private readonly onReady = () => {
    this.lastConnectionError = undefined;
    if (this.outageLogged) this.logger?.info('Palette-token store: Redis connection restored');
    this.outageLogged = false;
  };

  constructor(options: RedisStoreOptions = {}) {
    const { client = 'redis://127.0.0.1:6379', timeoutMs = 2_000 } = options;
    const settings = typeof client === 'string' ? { url: client } : isConnectionConfig(client) ? client : undefined;
    this.keyPrefix = options.keyPrefix ?? settings?.keyPrefix ?? 'spectrocloud:session:';
    this.metrics = options.metrics;
    this.logger = options.logger;
    this.clock = options.clock ?? Date.now;
    this.timeoutMs = timeoutMs;
    this.reconnectGraceMs = Math.min(500, Math.floor(timeoutMs / 4));
    this.ownsClient = settings !== undefined;
    this.connection = settings
      ? connectRedis(settings, timeoutMs)
      : Promise.resolve({ client: client as RedisClient, kind: 'Redis', waitForReplicas: 0 });
    // Attach listeners as soon as the client exists; a rejected import is
    // reported by the first operation, so keep it from being "unhandled" here.
    this.connection.then(
      ({ client: c }) => {
        c.on('error', this.onError);
        c.on('ready', this.onReady);
      },
      () => undefined,
    );
  }

  async set(key: string, token: string, expiresAt: number): Promise<void> {
    const redisKey = this.redisKey(key);
    // Floor: rounding up would keep the entry past expiresAt.
    const ttlMs = Math.floor(expiresAt - this.clock());
    await this.run('store', async (client, connection) => {
      if (ttlMs < 1) {
        await client.del(redisKey);
        return;
      }
      const replicas = connection.waitForReplicas;
      if (replicas === 0) {
        await client.set(redisKey, token, 'PX', ttlMs);
        return;
      }
      // SET and WAIT in one round trip on the same connection: WAIT counts the
      // replicas that hold this connection's writes. Half our deadline for WAIT
      // leaves time to report its answer.
      const results = await (client as Extract<RedisClient, { wait: unknown }>)
        .pipeline()
        .set(redisKey, token, 'PX', ttlMs)
        .wait(replicas, Math.max(1, Math.floor(this.timeoutMs / 2)))
        .exec();
      const failed = results?.find(([error]) => error);
      if (failed) throw failed[0];
      const acknowledged = Number(results?.[1]?.[1] ?? 0);
      if (acknowledged < replicas) {
        throw new SpectroCloudTokenStoreError(
          `Cannot store a Palette token: ${acknowledged} of ${replicas} Redis replica(s) acknowledged the write in time, ` +
            'so a failover could lose it. Check the replicas, or lower auth.providers.spectrocloud.tokenStore.redis.waitForReplicas.',
        );
      }
    });
  }

  /** SET NX PX: one replica wins. */
  async claim(key: string, expiresAt: number): Promise<boolean> {
    const redisKey = this.redisKey(key);
    const ttlMs = Math.max(1, Math.floor(expiresAt - this.clock()));
    return (await this.run('store', client => client.set(redisKey, '1', 'PX', ttlMs, 'NX'))) === 'OK';
  }

  async get(key: string): Promise<string | undefined> {
    const redisKey = this.redisKey(key);
    const value = await this.run('read', client => client.get(redisKey));
    // Redis drops expired keys itself, so an expired entry shows up as a miss.
    this.metrics?.recordTokenStore(value === null ? 'misses' : 'hits');
    return value ?? undefined;
  }

  async delete(key: string): Promise<void> {
    const redisKey = this.redisKey(key);
    await this.run('delete', async client => {
      await client.del(redisKey);
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    let client: RedisClient;
    try {
      ({ client } = await this.connection);
    } catch {
      return; // ioredis never loaded: nothing to close
    }
    if (!this.ownsClient) {
      client.off('error', this.onError);
      client.off('ready', this.onReady);
      return;
    }
    if (client.status === 'ready') {
      await withDeadline(this.timeoutMs, () => client.quit()).catch(() => client.disconnect());
    } else {
      client.disconnect();
    }
  }

  /** The key as stored in Redis: prefix + hex SHA-256, so no e-mail or entity ref is readable there. */
  private redisKey(key: string): string {
    return this.keyPrefix + createHash('sha256').update(key, 'utf8').digest('hex');
  }

  private async run<T>(
    operation: 'store' | 'read' | 'delete',
    command: (client: RedisClient, connection: RedisConnection) => Promise<T>,
  ): Promise<T> {
    if (this.closed) {
      throw new SpectroCloudTokenStoreError(`Cannot ${operation} a Palette token: the Redis token store is closed`);
    }
    try {
      // Our own deadline too: a client passed in may queue commands for a long
      // time (ioredis defaults: offline queue on, 20 retries per request).
      return await withDeadline(this.timeoutMs, async () => {
        const connection = await this.connection;
        await this.ensureConnected(connection.client);
        try {
          return await command(connection.client, connection);
        } catch (error) {
          // Not sent at all because the client is between connections (a
          // failover, a master switch): give it a short grace to be ready again,
          // then send once more (SET, GET and DEL are safe to repeat).
          if (!NOT_SENT.test(sanitizeCause(error).message) || !(await this.readyWithin(connection.client, this.reconnectGraceMs))) {
            throw error;
          }
          return command(connection.client, connection);
        }
      });
    } catch (error) {
      this.metrics?.recordTokenStore('errors');
      if (error instanceof SpectroCloudTokenStoreError) throw error;
      throw this.unavailable(operation, error);
    }
  }

  /** True when the client is (or becomes) ready within `ms`. One shared listener, however many callers wait. */
  private readyWithin(client: RedisClient, ms: number): Promise<boolean> {
    if (client.status === 'ready') return Promise.resolve(true);
    this.nextReady ??= new Promise<void>(resolve =>
      client.once('ready', () => {
        this.nextReady = undefined;
        resolve();
      }),
    );
    return withDeadline(ms, () => this.nextReady!.then(() => true)).catch(() => false);
  }

  // With lazyConnect and no offline queue, the first command needs an explicit
  // connect; concurrent callers share it. Later outages fail fast in ioredis
  // itself ("Stream isn't writeable") while it reconnects in the background.
  // A client of ours that gave up ('end': e.g. ioredis's failover detector
  // disconnecting while a reconnect was under way) is connected again here.
  private async ensureConnected(client: RedisClient): Promise<void> {
    if (client.status === 'wait' || (client.status === 'end' && this.ownsClient)) {
      this.connecting ??= client.connect().finally(() => {
        this.connecting = undefined;
      });
    }
    if (this.connecting) await this.connecting;
  }

  private handleClientError(error: unknown): void {
    this.lastConnectionError = describeConnectionFailure(error);
    if (this.outageLogged) return; // one line per outage, not one per retry
    this.outageLogged = true;
    this.logger?.warn(
      `Palette-token store: Redis connection error (${this.lastConnectionError}); retrying in the background`,
    );
  }

  private unavailable(operation: string, error: unknown): SpectroCloudTokenStoreError {
    const cause = sanitizeCause(error);
    // ioredis's own wording for "not connected" means little to an operator;
    // the last connection error (e.g. ECONNREFUSED) says what is wrong.
    const notConnected = /Stream isn't writeable|Connection is closed|None of startup nodes is available|Failed to refresh slots cache/.test(
      cause.message,
    );
    const last = this.lastConnectionError;
    const reason = notConnected
      ? `not connected${last ? `: ${last}` : ''}`
      : `${describeConnectionFailure(error)}${last ? `; last connection error: ${last}` : ''}`;
    return new SpectroCloudTokenStoreError(
      `Cannot ${operation} a Palette token: the Redis token store is unavailable (${reason}). ` +
        'Check that Redis is running and that auth.providers.spectrocloud.tokenStore.redis points to it.',
      { cause },
    );
  }
}

// ioredis's words for "the command was never written to a socket".
const NOT_SENT = /Stream isn't writeable|Connection is closed/;

function isConnectionConfig(value: unknown): value is RedisConnectionConfig {
  // An ioredis client is an EventEmitter; a connection config is plain data.
  return typeof value === 'object' && value !== null && typeof (value as { on?: unknown }).on !== 'function';
}

function withDeadline<T>(ms: number, operation: () => Promise<T>): Promise<T> {
  const pending = operation();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    timer.unref?.();
  });
  // If the deadline wins, the late outcome of `pending` is dropped, not left unhandled.
  pending.catch(() => undefined);
  return Promise.race([pending, deadline]).finally(() => clearTimeout(timer));
}
