import { SpectroCloudTokenStoreError } from '../paletteTokens/errors';

import type { SpectroCloudLogger } from '../logger';

/** @internal */
export interface PendingWritesOptions {
  /** What is being written, for log lines, e.g. `Palette token`. */
  what: string;
  /** Writes kept while the store is down; beyond it the oldest is dropped (and logged). Default 1000. */
  maxPending?: number;
  /** How long a write is retried after its first failure before it is given up. Default 30 000 ms. */
  retryForMs?: number;
  /**
   * First pause between retry rounds, doubled up to `maxDelayMs`. Defaults 250 ms and 1000 ms: a round
   * while the store is down costs one probe, and a short cap is what gets the writes in within a second
   * or two of the store's return (a 5 s cap left users of a 15 s outage without their token for up to 7 s).
   */
  firstDelayMs?: number;
  maxDelayMs?: number;
  /** Writes only info and warn lines. */
  logger?: Pick<SpectroCloudLogger, 'info' | 'warn'>;
  /** Counts the events the queue emits (SpectroCloudAuthMetrics implements it). */
  metrics?: { recordTokenStore(event: 'writesQueued' | 'writesRecovered' | 'writesLost'): void };
  /** Epoch-milliseconds clock. Default `Date.now`. */
  clock?: () => number;
  /** Pause between rounds; injectable so tests need no real waits. Default: an unref'd timer. */
  wait?: (ms: number) => Promise<void>;
}

interface Pending {
  write: () => Promise<void>;
  firstFailedAt: number;
  /** epoch ms after which the write is pointless (the data itself has expired) */
  usefulUntil: number;
}

export const DEFAULT_MAX_PENDING_WRITES = 1000;
export const DEFAULT_RETRY_FOR_MS = 30_000;

/**
 * Writes to the token store that failed because the store was unavailable,
 * retried in the background until the store answers again, for at most
 * `retryForMs`. Bounded: at most `maxPending` writes (the oldest is dropped
 * with a log line), one retry loop per instance, one probe per round while
 * the store is still down (so a frozen Redis costs one timeout per round,
 * not one per pending write). A later write under the same key replaces the
 * pending one: the newest sign-in or sign-out of a user wins.
 *
 * Every outcome is counted (`tokenStore.writesQueued` / `writesRecovered` /
 * `writesLost`) and every loss is logged with `ERR_TOKEN_STORE_UNAVAILABLE`.
 */
export class PendingStoreWrites {
  private readonly pending = new Map<string, Pending>();
  private readonly maxPending: number;
  private readonly retryForMs: number;
  private readonly firstDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly clock: () => number;
  private readonly wait: (ms: number) => Promise<void>;
  private loop?: Promise<void>;
  private closed = false;

  constructor(private readonly options: PendingWritesOptions) {
    this.maxPending = options.maxPending ?? DEFAULT_MAX_PENDING_WRITES;
    this.retryForMs = options.retryForMs ?? DEFAULT_RETRY_FOR_MS;
    this.firstDelayMs = options.firstDelayMs ?? 250;
    this.maxDelayMs = options.maxDelayMs ?? 1_000;
    this.clock = options.clock ?? Date.now;
    this.wait = options.wait ?? unrefSleep;
    if (!Number.isSafeInteger(this.maxPending) || this.maxPending < 1) {
      throw new RangeError(`maxPending must be a positive integer, got ${String(options.maxPending)}`);
    }
  }

  /**
   * Writes now; when the store is unavailable, keeps the write for the
   * background retry and answers `queued`. Any other error is rethrown.
   * `key` identifies what is written (a user, a session id), never logged.
   */
  async write(key: string, write: () => Promise<void>, usefulUntil: number): Promise<'stored' | 'queued'> {
    this.pending.delete(key); // this write supersedes an older pending one
    try {
      await write();
      return 'stored';
    } catch (error) {
      if (!(error instanceof SpectroCloudTokenStoreError) || this.closed) throw error;
      this.enqueue(key, { write, firstFailedAt: this.clock(), usefulUntil });
      return 'queued';
    }
  }

  /** True while a write under `key` waits for the store. */
  has(key: string): boolean {
    return this.pending.has(key);
  }

  /** Forgets a pending write (e.g. sign-out of a user whose sign-in is still pending). */
  drop(key: string): void {
    this.pending.delete(key);
  }

  get size(): number {
    return this.pending.size;
  }

  /** Resolves when nothing is pending any more (written or given up). */
  async settled(): Promise<void> {
    while (this.loop) await this.loop;
  }

  /** Stops retrying; pending writes are given up (and logged). */
  close(): void {
    this.closed = true;
    for (const key of [...this.pending.keys()]) this.giveUp(key, 'the backend is shutting down');
  }

  private enqueue(key: string, entry: Pending) {
    while (this.pending.size >= this.maxPending) {
      const oldest = this.pending.keys().next().value as string;
      this.giveUp(oldest, `more than ${this.maxPending} writes are waiting for the store`);
    }
    this.pending.set(key, entry);
    this.options.metrics?.recordTokenStore('writesQueued');
    if (this.pending.size === 1 || !this.loop) {
      this.options.logger?.warn(
        `${this.options.what} not stored yet (ERR_TOKEN_STORE_UNAVAILABLE): the token store is unavailable; ` +
          `retrying in the background for up to ${Math.round(this.retryForMs / 1000)} s`,
      );
    }
    this.loop ??= this.retryLoop().finally(() => {
      this.loop = undefined;
    });
  }

  private async retryLoop(): Promise<void> {
    let delay = this.firstDelayMs;
    while (this.pending.size > 0 && !this.closed) {
      await this.wait(delay);
      const recovered = await this.retryRound();
      delay = recovered ? this.firstDelayMs : Math.min(delay * 2, this.maxDelayMs);
    }
  }

  /** One pass over the pending writes, oldest first; stops at the first failure (the store is still down). */
  private async retryRound(): Promise<boolean> {
    for (const [key, entry] of [...this.pending]) {
      if (this.pending.get(key) !== entry) continue; // replaced or dropped meanwhile
      const now = this.clock();
      if (entry.usefulUntil <= now) {
        this.pending.delete(key); // expired anyway: nothing was lost
        continue;
      }
      if (now - entry.firstFailedAt >= this.retryForMs) {
        this.giveUp(key, `the store did not answer for ${Math.round(this.retryForMs / 1000)} s`);
        continue;
      }
      try {
        await entry.write();
      } catch {
        return false;
      }
      if (this.pending.get(key) === entry) this.pending.delete(key);
      this.options.metrics?.recordTokenStore('writesRecovered');
      if (this.pending.size === 0) this.options.logger?.info(`${this.options.what}: writes delayed by a token-store outage are stored now`);
    }
    return true;
  }

  private giveUp(key: string, reason: string) {
    this.pending.delete(key);
    this.options.metrics?.recordTokenStore('writesLost');
    this.options.logger?.warn(`${this.options.what} lost (ERR_TOKEN_STORE_UNAVAILABLE): ${reason}`);
  }
}

function unrefSleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms).unref?.());
}
