import type { Cluster, ClusterOptions, Redis, RedisOptions } from 'ioredis';
import type { RedisConnectionConfig, RedisTlsConfig } from './config';
import { SpectroCloudTokenStoreError, sanitizeCause } from '../errors';

/** A standalone/Sentinel client or a Cluster client: the commands the store uses are the same. */
export type RedisClient = Redis | Cluster;

/** What the store needs to know about the connection besides the client. */
export interface RedisConnection {
  client: RedisClient;
  /** Short, address-free description for messages: "Redis", "Redis (Sentinel)", "Redis Cluster". */
  kind: string;
  /** Replicas that must acknowledge each write before it counts (Redis WAIT). */
  waitForReplicas: number;
}

/**
 * Builds the ioredis client a {@link RedisConnectionConfig} describes,
 * tuned to fail fast: lazy connect, no offline queue, one retry per request,
 * connect and command timeouts of `timeoutMs`. Reconnection (and for Sentinel
 * the discovery of a new master, for Cluster of moved slots) is ioredis's own.
 *
 * ioredis is an optional peer dependency, loaded only here.
 */
export async function connectRedis(settings: RedisConnectionConfig, timeoutMs: number): Promise<RedisConnection> {
  const ioredis = await loadIoredis();
  const common: RedisOptions = {
    lazyConnect: true,
    // Fail fast instead of queueing commands while Redis is away.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    // A master demoted by a failover answers writes with READONLY: reconnect so
    // the client finds the new master (the failed command reports the outage).
    reconnectOnError: error => error.message.startsWith('READONLY'),
    // Reconnect at least once a second (ioredis's default backs off to 2 s): writes waiting for the
    // store after an outage go in as soon as it is back.
    retryStrategy: times => Math.min(100 * times, 1_000),
    ...(settings.username !== undefined && { username: settings.username }),
    ...(settings.password !== undefined && { password: settings.password }),
    ...(settings.db !== undefined && { db: settings.db }),
    ...(settings.tls !== undefined && { tls: tlsOptions(settings.tls) }),
  };

  if (settings.cluster) {
    const options: ClusterOptions = {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRedirections: 4,
      slotsRefreshTimeout: timeoutMs,
      clusterRetryStrategy: times => Math.min(100 * times, 2_000),
      redisOptions: common,
    };
    return {
      client: new ioredis.Cluster(settings.cluster.nodes, options),
      kind: 'Redis Cluster',
      waitForReplicas: settings.waitForReplicas ?? 0,
    };
  }
  if (settings.sentinels) {
    const options: RedisOptions = {
      ...common,
      sentinels: settings.sentinels,
      name: settings.name,
      // Learn of a failover from the sentinels' +switch-master, not only from a broken connection.
      failoverDetector: true,
      sentinelMaxConnections: 10,
      sentinelRetryStrategy: times => Math.min(100 * times, 1_000),
      ...(settings.sentinelUsername !== undefined && { sentinelUsername: settings.sentinelUsername }),
      ...(settings.sentinelPassword !== undefined && { sentinelPassword: settings.sentinelPassword }),
      ...(settings.tls !== undefined && { enableTLSForSentinelMode: true, sentinelTLS: tlsOptions(settings.tls) }),
    };
    return { client: new ioredis.Redis(options), kind: 'Redis (Sentinel)', waitForReplicas: settings.waitForReplicas ?? 1 };
  }
  return {
    client: new ioredis.Redis(settings.url ?? 'redis://127.0.0.1:6379', common),
    kind: 'Redis',
    waitForReplicas: settings.waitForReplicas ?? 0,
  };
}

function tlsOptions(tls: RedisTlsConfig): NonNullable<RedisOptions['tls']> {
  return tls === true ? {} : { ...(tls.ca !== undefined && { ca: tls.ca }), ...(tls.servername !== undefined && { servername: tls.servername }) };
}

async function loadIoredis(): Promise<{ Redis: typeof Redis; Cluster: typeof Cluster }> {
  let mod: typeof import('ioredis');
  try {
    mod = await import('ioredis');
  } catch (error) {
    throw new SpectroCloudTokenStoreError(
      'The Redis token store needs the "ioredis" package: add ioredis@5 to your backend\'s dependencies',
      { cause: sanitizeCause(error) },
    );
  }
  const fallback = (mod as unknown as { default: typeof mod }).default;
  return { Redis: mod.Redis ?? fallback.Redis, Cluster: mod.Cluster ?? fallback.Cluster };
}
