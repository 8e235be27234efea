import { setTimeout as sleep } from 'node:timers/promises';
import { EncryptedStore } from '../paletteTokens/stores/encryptedStore';
import type { SpectroCloudStore } from '../ttlStore/types';
import type { LastGrant } from './grantReuse';
import { refreshGrantKeys, type RefreshGrantKeys } from './refreshGrantKeys';

/** What one refresh grant gave, as every refresh presenting the same refresh token answers with it. */
export interface RefreshGrantResult {
  refreshToken: string;
  idToken: string;
  accessToken: string;
  /** the token response's `scope` and `token_type`; never a token */
  params: { scope?: string; token_type?: string };
  lastGrant: LastGrant;
  /** epoch ms when the refresh token expires, when the IdP said (`refresh_expires_in`) */
  refreshTokenEndsAt?: number;
}

/** Who made the grant a refresh answers with. */
export type GrantSource = 'granted' | 'in-flight' | 'shared';

export interface ConcurrentRefreshGrantsOptions {
  /** the provider's token store (Redis or Backstage's cache shared by replicas; memory otherwise) */
  store: SpectroCloudStore;
  /**
   * How long one grant may be in flight (ms): the claim's lifetime, the
   * longest a loser waits, and how long the result is kept for refreshes
   * that left with the old refresh token before the winner answered.
   */
  holdMs: number;
  clock: () => number;
  /** named once per environment when the store fails: never a token or an address */
  warnOnce: (key: string, message: string) => void;
}

/** Pauses between a loser's looks at the store: short first (the winner is usually nearly done), then 250 ms. */
const POLL_STEPS_MS = [20, 40, 80, 160];
const POLL_MAX_MS = 250;

/**
 * Concurrent refreshes of one session present the same refresh token; an
 * IdP that rotates refresh tokens with reuse detection (RFC 9700 4.14.2)
 * revokes the whole grant when it sees one twice. So exactly one refresh
 * per presented token asks the IdP:
 * - in this process, later refreshes share the grant in flight;
 * - across replicas, the first to claim `refresh-grant-claim:<id>` in the
 *   shared store asks, then leaves its result (sealed with a key only the
 *   presented token yields, keyed by a hash of it, kept `holdMs`) under
 *   `refresh-grant:<id>`; the others wait for that result, bounded by `holdMs`.
 * When the store cannot be used (outage, a store with no claim) or the wait
 * runs out, the refresh asks the IdP itself: what it did before this existed.
 * The caller checks for sign-out before answering with a result it did not make.
 */
export class ConcurrentRefreshGrants {
  private readonly inFlight = new Map<string, Promise<RefreshGrantResult>>();

  constructor(private readonly options: ConcurrentRefreshGrantsOptions) {}

  /** The grant for `refreshToken` (`context`: provider, environment and session), made by `grant` at most once. */
  async run(refreshToken: string, context: string, grant: () => Promise<RefreshGrantResult>): Promise<{ result: RefreshGrantResult; source: GrantSource }> {
    const keys = refreshGrantKeys(refreshToken, context);
    const running = this.inFlight.get(keys.id);
    if (running) return { result: await running, source: 'in-flight' };
    const made = this.acrossReplicas(keys, grant);
    const result = made.then(({ result }) => result);
    result.catch(() => undefined); // its failure reaches every caller through `made` or `running`
    this.inFlight.set(keys.id, result);
    try {
      return await made;
    } finally {
      this.inFlight.delete(keys.id);
    }
  }

  private async acrossReplicas(keys: RefreshGrantKeys, grant: () => Promise<RefreshGrantResult>): Promise<{ result: RefreshGrantResult; source: GrantSource }> {
    const results = new EncryptedStore(this.options.store, keys.sealKey);
    const resultKey = `refresh-grant:${keys.id}`;
    const claimKey = `refresh-grant-claim:${keys.id}`;
    // The wait ends at holdMs by the clock, or by the pauses summed when the clock stands still (a frozen test clock).
    const deadline = this.options.clock() + this.options.holdMs;
    for (let attempt = 0, waited = 0; ; attempt++) {
      const step = await this.tryStore(() => this.lookOnce(results, resultKey, claimKey));
      if (step.kind === 'found') return { result: step.result, source: 'shared' };
      // Ours to make; or no usable store, or the wait ran out: ask the IdP ourselves, as before shared results existed.
      if (step.kind !== 'held' || waited >= this.options.holdMs || this.options.clock() >= deadline) {
        const claimed = step.kind === 'claimed' ? claimKey : undefined;
        return { result: await this.grantAndShare(results, resultKey, claimed, grant), source: 'granted' };
      }
      const pause = POLL_STEPS_MS[attempt] ?? POLL_MAX_MS;
      waited += pause;
      await sleep(pause);
    }
  }

  /** One look: a result left by another refresh, else the claim to make the grant, else someone else holds it. */
  private async lookOnce(results: SpectroCloudStore, resultKey: string, claimKey: string): Promise<Step> {
    const found = await results.get(resultKey);
    if (found !== undefined) return { kind: 'found', result: parseResult(found) };
    const { store } = this.options;
    // A store without claims (memory, Backstage's cache) cannot exclude other replicas: this process's single flight is all there is.
    if (!store.claim) return { kind: 'unclaimable' };
    return (await store.claim(claimKey, this.expiry())) ? { kind: 'claimed' } : { kind: 'held' };
  }

  private async grantAndShare(results: SpectroCloudStore, resultKey: string, claimKey: string | undefined, grant: () => Promise<RefreshGrantResult>): Promise<RefreshGrantResult> {
    let result: RefreshGrantResult;
    try {
      result = await grant();
    } catch (error) {
      // Let another refresh try at once rather than wait out the claim (the IdP answers it the same way).
      if (claimKey) await this.tryStore(() => this.options.store.delete(claimKey));
      throw error;
    }
    await this.tryStore(() => results.set(resultKey, JSON.stringify(result), this.expiry()));
    return result;
  }

  private async tryStore<T>(operation: () => Promise<T>): Promise<T | { kind: 'unavailable' }> {
    try {
      return await operation();
    } catch {
      this.options.warnOnce(
        'refresh-grant-store',
        'The token store could not coordinate concurrent refreshes (ERR_TOKEN_STORE_UNAVAILABLE); each refresh asks the IdP itself meanwhile',
      );
      return { kind: 'unavailable' };
    }
  }

  private expiry(): number {
    return this.options.clock() + this.options.holdMs;
  }
}

type Step = { kind: 'found'; result: RefreshGrantResult } | { kind: 'claimed' } | { kind: 'held' } | { kind: 'unclaimable' } | { kind: 'unavailable' };

/** A result opened with the presented token's key was written by a replica of ours; its shape is still checked. */
function parseResult(text: string): RefreshGrantResult {
  const value = JSON.parse(text) as RefreshGrantResult;
  const strings = [value?.refreshToken, value?.idToken, value?.accessToken];
  if (!strings.every(s => typeof s === 'string') || typeof value.lastGrant?.at !== 'number') throw new TypeError('malformed shared refresh result');
  return value;
}
