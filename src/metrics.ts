/**
 * Process-local counters for sign-ins, the store and the
 * backend-plugin hand-off. Counters only: no e-mails, entity refs or tokens,
 * and label values come from fixed lists so cardinality stays bounded.
 */

/** @public */
export type TokenStoreEvent =
  | 'hits'
  | 'misses'
  | 'evictions'
  | 'expired'
  | 'errors'
  | 'undecryptable'
  /** writes kept for the background retry while the store was unavailable */
  | 'writesQueued'
  | 'writesRecovered'
  /** writes given up (store down too long, or too many waiting) */
  | 'writesLost';

/** @public */
export type HandoffEvent =
  | 'granted'
  | 'serviceTokenFallbacks'
  | 'unauthenticated'
  | 'forbidden'
  | 'reAuthRequired'
  | 'unavailable'
  /** Palette tokens renewed through Palette before they expired; renewals Palette refused; renewals that failed (unreachable) */
  | 'renewed'
  | 'renewalRefused'
  | 'renewalFailed';

/** @public */
export interface SpectroCloudAuthMetricsSnapshot {
  /** All providers together. */
  signIns: number;
  /** All providers together, keyed by the failure's error code, e.g. `ERR_ID_TOKEN_EXPIRED`. */
  signInFailures: Record<string, number>;
  /** The same counts per provider id (`spectrocloud`, `spectrocloud-eu`...), for one counter object shared by several tenants. */
  providers: Record<string, { signIns: number; signInFailures: Record<string, number> }>;
  tokenStore: Record<TokenStoreEvent, number>;
  handoff: Record<HandoffEvent, number>;
}

const TOKEN_STORE_EVENTS: readonly TokenStoreEvent[] = [
  'hits',
  'misses',
  'evictions',
  'expired',
  'errors',
  'undecryptable',
  'writesQueued',
  'writesRecovered',
  'writesLost',
];
const HANDOFF_EVENTS: readonly HandoffEvent[] = [
  'granted',
  'serviceTokenFallbacks',
  'unauthenticated',
  'forbidden',
  'reAuthRequired',
  'unavailable',
  'renewed',
  'renewalRefused',
  'renewalFailed',
];

// Error codes are constants like ERR_TOKEN_ENDPOINT; anything else (a message
// passed by mistake) is folded into OTHER so it cannot carry user data.
const CAUSE_CODE = /^[A-Z][A-Z0-9_]{0,63}$/;
const MAX_CAUSE_CODES = 50;
// Provider ids are keys of providerFactories, chosen in code; still, keep the label set small and safe.
const PROVIDER_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;
const MAX_PROVIDERS = 20;
/** Counted under this id when the caller names no provider. */
const DEFAULT_PROVIDER = 'spectrocloud';

/** @public */
export class SpectroCloudAuthMetrics {
  private readonly signIns = new Map<string, number>();
  /** provider id -> error code -> count */
  private readonly signInFailures = new Map<string, Map<string, number>>();
  private readonly tokenStore = zeroes(TOKEN_STORE_EVENTS);
  private readonly handoff = zeroes(HANDOFF_EVENTS);

  /** `provider`: the provider id the sign-in went through; default `spectrocloud`. */
  signIn(provider?: string): void {
    const id = this.providerLabel(provider);
    this.signIns.set(id, (this.signIns.get(id) ?? 0) + 1);
  }

  /** `cause` should be a stable error code; other strings are counted as `OTHER`. */
  signInFailure(cause: string, provider?: string): void {
    const id = this.providerLabel(provider);
    const failures = this.signInFailures.get(id) ?? new Map<string, number>();
    this.signInFailures.set(id, failures);
    let code = CAUSE_CODE.test(cause) ? cause : 'OTHER';
    if (!failures.has(code) && failures.size >= MAX_CAUSE_CODES) code = 'OTHER';
    failures.set(code, (failures.get(code) ?? 0) + 1);
  }

  private providerLabel(provider: string | undefined): string {
    const id = provider ?? DEFAULT_PROVIDER;
    if (!PROVIDER_ID.test(id)) return 'OTHER';
    const known = new Set([...this.signIns.keys(), ...this.signInFailures.keys()]);
    return known.has(id) || known.size < MAX_PROVIDERS ? id : 'OTHER';
  }

  recordTokenStore(event: TokenStoreEvent, count = 1): void {
    this.tokenStore[event] += count;
  }

  recordHandoff(event: HandoffEvent): void {
    this.handoff[event] += 1;
  }

  /** Plain JSON, safe to serve from a status endpoint. */
  snapshot(): SpectroCloudAuthMetricsSnapshot {
    const ids = [...new Set([...this.signIns.keys(), ...this.signInFailures.keys()])].sort();
    const providers = Object.fromEntries(
      ids.map(id => [id, { signIns: this.signIns.get(id) ?? 0, signInFailures: sortedRecord(this.signInFailures.get(id) ?? new Map()) }]),
    );
    const allFailures = new Map<string, number>();
    for (const failures of this.signInFailures.values()) {
      for (const [code, n] of failures) allFailures.set(code, (allFailures.get(code) ?? 0) + n);
    }
    return {
      signIns: [...this.signIns.values()].reduce((a, b) => a + b, 0),
      signInFailures: sortedRecord(allFailures),
      providers,
      tokenStore: { ...this.tokenStore },
      handoff: { ...this.handoff },
    };
  }

    /**
   * Prometheus text exposition format (version 0.0.4). Written here rather than with prom-client: four
   * counter families whose label values are matched against fixed patterns above (so nothing needs
   * escaping), kept synchronous and per instance; prom-client's registry is async to read and would be a
   * second metrics system beside Backstage's OpenTelemetry. A prom-client user can read snapshot() instead.
   */
  toPrometheus(): string {
    const s = this.snapshot();
    const lines: string[] = [];
    const family = (name: string, help: string, samples: Array<[labels: string, value: number]>) => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`);
      for (const [labels, value] of samples) lines.push(`${name}${labels} ${value}`);
    };
    const providers = Object.entries(s.providers);
    family(
      'spectrocloud_auth_sign_ins_total',
      'Successful SpectroCloud sign-ins by provider id.',
      providers.length === 0 ? [[`{provider="${DEFAULT_PROVIDER}"}`, 0]] : providers.map(([id, p]) => [`{provider="${id}"}`, p.signIns]),
    );
    family(
      'spectrocloud_auth_sign_in_failures_total',
      'Failed SpectroCloud sign-ins by provider id and error code.',
      providers.flatMap(([id, p]) => Object.entries(p.signInFailures).map(([code, n]) => [`{provider="${id}",code="${code}"}`, n] as [string, number])),
    );
    family(
      'spectrocloud_auth_token_store_events_total',
      'Store lookups and removals by outcome (Palette tokens, sign-outs, refresh-grant claims).',
      TOKEN_STORE_EVENTS.map(event => [`{event="${event}"}`, s.tokenStore[event]]),
    );
    family(
      'spectrocloud_auth_token_handoff_total',
      'Palette-token requests from backend plugins by outcome.',
      HANDOFF_EVENTS.map(event => [`{outcome="${event}"}`, s.handoff[event]]),
    );
    return `${lines.join('\n')}\n`;
  }
}

function sortedRecord(counts: Map<string, number>): Record<string, number> {
  return Object.fromEntries([...counts].sort(([a], [b]) => a.localeCompare(b)));
}

function zeroes<K extends string>(keys: readonly K[]): Record<K, number> {
  return Object.fromEntries(keys.map(k => [k, 0])) as Record<K, number>;
}
