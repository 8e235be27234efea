import type { KeyObject } from 'node:crypto';
import jwksRsa, { type JwksClient } from 'jwks-rsa';
import { SpectroCloudNetworkError, SpectroCloudTokenError } from '../errors';
import type { OutboundClient } from '../http/OutboundClient';
import { KEY_REFUSAL_REASONS, chooseVerificationKey, readPublishedKey, refuseAmbiguousKid, withoutPrivateMembers, type KeyRefusal, type PublishedKey } from './signingKeyRules';

export interface SigningKeysOptions {
  jwksUrl: string;
  http: OutboundClient;
  /** milliseconds a fetched key set is used before it is fetched again */
  cacheMaxAgeMs: number;
  /** milliseconds: an unknown `kid` fetches the set again at most once per this interval */
  refetchIntervalMs: number;
  clock: () => number;
}

/** Keys kept per set; a JWKS with more is cut to its first ones. */
const MAX_KEYS = 16;
/** Withdrawn kids remembered, to name the cause; the oldest are forgotten first. */
const MAX_WITHDRAWN = 64;

/**
 * SpectroCloud's published signing keys for one JWKS URL, as parsed
 * KeyObjects (parsing a PEM costs several times the RSA check itself).
 * jwks-rsa turns JWKs into keys and fetches through our client (its
 * `fetcher` option); the caching is ours because it runs on the injected
 * clock:
 * - the whole set is fetched again once it is `cacheMaxAgeMs` old, so a
 *   withdrawn key stops being accepted by then;
 * - an unknown `kid` (key rotation) fetches the set again at once, but at
 *   most once per `refetchIntervalMs`; when that limit bites the error says
 *   so (ERR_JWKS_RATE_LIMITED) instead of blaming the JWKS endpoint;
 * - one fetch is in flight at a time;
 * - every key passes the key rules (./signingKeyRules.ts) before it verifies
 *   anything; a refused one is ERR_ID_TOKEN_KEY_REFUSED, naming the rule.
 */
export class SigningKeys {
  private readonly client: JwksClient;
  private keys?: { byKid: Map<string, PublishedKey[]>; fetchedAt: number };
  /** kids seen in an earlier set and missing from the current one */
  private readonly withdrawn = new Set<string>();
  /** when an unknown `kid` last forced a fetch */
  private lastForcedFetchAt = Number.NEGATIVE_INFINITY;
  private pending?: Promise<void>;

  constructor(private readonly options: SigningKeysOptions) {
    const { http } = options;
    this.client = jwksRsa({
      jwksUri: options.jwksUrl,
      // Caching and rate limiting below, on the injected clock.
      cache: false,
      rateLimit: false,
      fetcher: async url => {
        const response = await http.request('jwks', url, { headers: { Accept: 'application/json' } });
        if (response.status !== 200) {
          throw new SpectroCloudNetworkError('ERR_JWKS_UNAVAILABLE', `SpectroCloud's signing keys (JWKS endpoint) answered HTTP ${response.status}`, { endpoint: 'jwks' });
        }
        const body = response.json() as { keys?: unknown } | undefined;
        if (!body || !Array.isArray(body.keys)) {
          throw new SpectroCloudNetworkError('ERR_JWKS_UNAVAILABLE', "SpectroCloud's JWKS endpoint did not answer a key set", { endpoint: 'jwks' });
        }
        // Private members go before jwks-rsa (its debug log prints the set) or anything else holds them.
        return { keys: body.keys.slice(0, MAX_KEYS).map(withoutPrivateMembers) };
      },
    });
  }

  /** The key that verifies a token with this header `kid` and `alg`, or the error that says why there is none. */
  async keyFor(kid: string | undefined, alg: string): Promise<KeyObject> {
    return this.accept(kid, alg, await this.entriesFor(kid));
  }

  /**
   * The key keyFor would answer without waiting: the set is fresh, holds this
   * `kid` and the key rules accept its key for `alg`. Otherwise undefined, and
   * keyFor decides (fetch, wait, or the error that says why).
   */
  cachedKey(kid: string | undefined, alg: string): KeyObject | undefined {
    if (!this.keys || this.options.clock() - this.keys.fetchedAt >= this.options.cacheMaxAgeMs) return undefined;
    const entries = this.find(kid);
    if (!entries) return undefined;
    const choice = chooseVerificationKey(entries, alg);
    return 'key' in choice ? choice.key : undefined;
  }

  private async entriesFor(kid: string | undefined): Promise<PublishedKey[]> {
    const now = this.options.clock();
    if (!this.keys || now - this.keys.fetchedAt >= this.options.cacheMaxAgeMs) await this.fetch();
    const found = this.find(kid);
    if (found) return found;
    if (this.pending) {
      // Another token's unknown kid is being fetched right now: that fetch counts for this one too.
      await this.pending;
      const fetched = this.find(kid);
      if (fetched) return fetched;
    }
    if (kid !== undefined && this.withdrawn.has(kid)) throw unknownKey('ID token is signed with a key SpectroCloud has withdrawn');
    if (now - this.lastForcedFetchAt < this.options.refetchIntervalMs) {
      throw new SpectroCloudNetworkError(
        'ERR_JWKS_RATE_LIMITED',
        `ID token is signed with a key ("kid") that SpectroCloud did not publish when last asked; asking again is limited to once per ${Math.round(this.options.refetchIntervalMs / 1000)} s (jwksRefetchInterval), try again shortly`,
        { endpoint: 'jwks' },
      );
    }
    this.lastForcedFetchAt = now;
    await this.fetch();
    const refetched = this.find(kid);
    if (refetched) return refetched;
    throw unknownKey('ID token is signed with a key that SpectroCloud does not publish (unknown "kid")');
  }

  /**
   * The published keys, fetched now, with the key rules that refuse them
   * whatever the token (diagnostics: the doctor). Never the key material.
   */
  async describe(): Promise<Array<{ kid?: string; alg?: string; keyType?: string; refused?: KeyRefusal }>> {
    const published = this.read(await this.client.getKeys());
    return published.map(entry => {
      const refused = entry.refused ?? refuseAmbiguousKid(published.filter(other => other.kid === entry.kid));
      return { kid: entry.kid, alg: entry.alg, keyType: entry.refused ? undefined : entry.key.asymmetricKeyType, refused };
    });
  }

  /** Refusals are counted as sign-in failures by code (SignInService.signInFailed); the message names the rule, never the key. */
  private accept(kid: string | undefined, alg: string, entries: PublishedKey[]): KeyObject {
    const choice = chooseVerificationKey(entries, alg);
    if ('key' in choice) return choice.key;
    const named = kid === undefined ? 'the only published key' : `"${kid.slice(0, 64)}"`;
    throw new SpectroCloudTokenError('ERR_ID_TOKEN_KEY_REFUSED', `ID token's signing key ${named} is refused: ${KEY_REFUSAL_REASONS[choice.refused]} (${choice.refused})`, {
      claim: 'kid',
    });
  }

  private find(kid: string | undefined): PublishedKey[] | undefined {
    const byKid = this.keys?.byKid;
    if (!byKid) return undefined;
    if (kid === undefined) return byKid.size === 1 ? byKid.values().next().value : undefined;
    return byKid.get(kid);
  }

  /** `getKeys()` answers what our fetcher returned: the set already cut and without private members. */
  private read(jwks: unknown): PublishedKey[] {
    return (jwks as Array<Record<string, unknown>>).map(readPublishedKey);
  }

  private fetch(): Promise<void> {
    this.pending ??= this.load().finally(() => (this.pending = undefined));
    return this.pending;
  }

  private async load() {
    const byKid = new Map<string, PublishedKey[]>();
    // Every entry is kept under its kid, refused ones too: a refusal then names its rule, not "unknown kid".
    for (const entry of this.read(await this.client.getKeys())) byKid.set(entry.kid ?? '', [...(byKid.get(entry.kid ?? '') ?? []), entry]);
    for (const kid of this.keys?.byKid.keys() ?? []) if (!byKid.has(kid)) this.withdrawn.add(kid);
    for (const kid of byKid.keys()) this.withdrawn.delete(kid);
    for (const kid of this.withdrawn) {
      if (this.withdrawn.size <= MAX_WITHDRAWN) break;
      this.withdrawn.delete(kid);
    }
    this.keys = { byKid, fetchedAt: this.options.clock() };
  }
}

function unknownKey(message: string) {
  return new SpectroCloudTokenError('ERR_ID_TOKEN_SIGNATURE', message);
}
