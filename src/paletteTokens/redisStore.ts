import { createHash } from 'node:crypto';
import type { Redis, RedisOptions } from 'ioredis';
import { SpectroCloudTokenStoreError, sanitizeCause } from './errors';
import type { SpectroCloudAuthMetrics } from '../metrics';
import type { SessionTokenLogger, SpectroCloudTokenStore } from './types';

/** @public */
export interface RedisTokenStoreOptions {
  /**
   * An ioredis client, or a `redis://` / `rediss://` URL to create one from
   * (default `redis://127.0.0.1:6379`). A client you pass in stays yours:
   * `close()` does not disconnect it.
   */
  client?: Redis | string;
  /** Prepended to every key. Default `spectrocloud:session:`. */
  keyPrefix?: string;
  metrics?: SpectroCloudAuthMetrics;
  logger?: SessionTokenLogger;
  /** Epoch-milliseconds clock used to turn `expiresAt` into a TTL. Default `Date.now`. */
  clock?: () => number;
  /** Longest any operation may take, connecting included, before it fails as unavailable. Default 2000 ms. */
  timeoutMs?: number;
}

/**
 * Session tokens in Redis, shared by every backend replica and kept across
 * restarts. Each entry expires in Redis itself (`SET ... PX`), and keys are
 * SHA-256 hashes so user identifiers cannot be read out of Redis.
 *
 * Fails fast: when Redis is down a call rejects within `timeoutMs` with a
 * {@link SpectroCloudTokenStoreError} (`ERR_TOKEN_STORE_UNAVAILABLE`) instead
 * of queueing. The client reconnects in the background and later calls succeed
 * once Redis is back. ioredis `error` events are handled (logged once per outage).
 *
 * ioredis is an optional peer dependency, loaded only when a URL is given.
 *
 * @public
 */
export class RedisTokenStore implements SpectroCloudTokenStore {
  private readonly keyPrefix: string;
  private readonly metrics?: SpectroCloudAuthMetrics;
  private readonly logger?: SessionTokenLogger;
  private readonly clock: () => number;
  private readonly timeoutMs: number;
  private readonly ownsClient: boolean;
  private readonly client: Promise<Redis>;
  private connecting?: Promise<void>;
  private lastConnectionError?: string;
  private outageLogged = false;
  private closed = false;
  private readonly onError = (error: unknown) => this.handleClientError(error);
  private readonly onReady = () => {
    this.lastConnectionError = undefined;
    if (this.outageLogged) this.logger?.info('SpectroCloud session-token store: Redis connection restored');
    this.outageLogged = false;
  };

  constructor(options: RedisTokenStoreOptions = {}) {
    const { client = 'redis://127.0.0.1:6379', keyPrefix = 'spectrocloud:session:', timeoutMs = 2_000 } = options;
    this.keyPrefix = keyPrefix;
    this.metrics = options.metrics;
    this.logger = options.logger;
    this.clock = options.clock ?? Date.now;
    this.timeoutMs = timeoutMs;
    this.ownsClient = typeof client === 'string';
    this.client = typeof client === 'string' ? createClient(client, timeoutMs) : Promise.resolve(client);
    // Attach listeners as soon as the client exists; a rejected import is
    // reported by the first operation, so keep it from being "unhandled" here.
    this.client.then(
      c => {
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
    await this.run('store', async client => {
      if (ttlMs >= 1) await client.set(redisKey, token, 'PX', ttlMs);
      else await client.del(redisKey);
    });
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
    let client: Redis;
    try {
      client = await this.client;
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

  private async run<T>(operation: 'store' | 'read' | 'delete', command: (client: Redis) => Promise<T>): Promise<T> {
    if (this.closed) {
      throw new SpectroCloudTokenStoreError(`Cannot ${operation} a SpectroCloud session token: the Redis token store is closed`);
    }
    try {
      // Our own deadline too: a client passed in may queue commands for a long
      // time (ioredis defaults: offline queue on, 20 retries per request).
      return await withDeadline(this.timeoutMs, async () => {
        const client = await this.client;
        await this.ensureConnected(client);
        return command(client);
      });
    } catch (error) {
      this.metrics?.recordTokenStore('errors');
      if (error instanceof SpectroCloudTokenStoreError) throw error;
      throw this.unavailable(operation, error);
    }
  }

  // With lazyConnect and no offline queue, the first command needs an explicit
  // connect; concurrent callers share it. Later outages fail fast in ioredis
  // itself ("Stream isn't writeable") while it reconnects in the background.
  private async ensureConnected(client: Redis): Promise<void> {
    if (client.status === 'wait') {
      this.connecting ??= client.connect().finally(() => {
        this.connecting = undefined;
      });
    }
    if (this.connecting) await this.connecting;
  }

  private handleClientError(error: unknown): void {
    this.lastConnectionError = sanitizeCause(error).message;
    if (this.outageLogged) return; // one line per outage, not one per retry
    this.outageLogged = true;
    this.logger?.warn(
      `SpectroCloud session-token store: Redis connection error (${this.lastConnectionError}); retrying in the background`,
    );
  }

  private unavailable(operation: string, error: unknown): SpectroCloudTokenStoreError {
    const cause = sanitizeCause(error);
    // ioredis's own wording for "not connected" means little to an operator;
    // the last connection error (e.g. ECONNREFUSED) says what is wrong.
    const notConnected = /Stream isn't writeable|Connection is closed/.test(cause.message);
    const last = this.lastConnectionError;
    const reason = notConnected
      ? `not connected${last ? `: ${last}` : ''}`
      : `${cause.message}${last ? `; last connection error: ${last}` : ''}`;
    return new SpectroCloudTokenStoreError(
      `Cannot ${operation} a SpectroCloud session token: the Redis token store is unavailable (${reason}). ` +
        'Check that Redis is running and that auth.providers.spectrocloud.tokenStore.redis.url points to it.',
      { cause },
    );
  }
}

async function createClient(url: string, timeoutMs: number): Promise<Redis> {
  let mod: typeof import('ioredis');
  try {
    mod = await import('ioredis');
  } catch (error) {
    throw new SpectroCloudTokenStoreError(
      'The Redis token store needs the "ioredis" package: add ioredis@5 to your backend\'s dependencies',
      { cause: sanitizeCause(error) },
    );
  }
  const RedisClass = (mod.Redis ?? (mod as unknown as { default: typeof mod.Redis }).default) as typeof mod.Redis;
  const options: RedisOptions = {
    lazyConnect: true,
    // Fail fast instead of queueing commands while Redis is away.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
  };
  return new RedisClass(url, options);
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
