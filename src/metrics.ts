/**
 * Process-local counters for sign-ins, the session-token store and the
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
  | 'unavailable';

/** @public */
export interface SpectroCloudAuthMetricsSnapshot {
  signIns: number;
  /** Keyed by the failure's error code, e.g. `ERR_ID_TOKEN_EXPIRED`. */
  signInFailures: Record<string, number>;
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
];

// Error codes are constants like ERR_TOKEN_ENDPOINT; anything else (a message
// passed by mistake) is folded into OTHER so it cannot carry user data.
const CAUSE_CODE = /^[A-Z][A-Z0-9_]{0,63}$/;
const MAX_CAUSE_CODES = 50;

/** @public */
export class SpectroCloudAuthMetrics {
  private signIns = 0;
  private readonly signInFailures = new Map<string, number>();
  private readonly tokenStore = zeroes(TOKEN_STORE_EVENTS);
  private readonly handoff = zeroes(HANDOFF_EVENTS);

  signIn(): void {
    this.signIns += 1;
  }

  /** `cause` should be a stable error code; other strings are counted as `OTHER`. */
  signInFailure(cause: string): void {
    let code = CAUSE_CODE.test(cause) ? cause : 'OTHER';
    if (!this.signInFailures.has(code) && this.signInFailures.size >= MAX_CAUSE_CODES) code = 'OTHER';
    this.signInFailures.set(code, (this.signInFailures.get(code) ?? 0) + 1);
  }

  recordTokenStore(event: TokenStoreEvent, count = 1): void {
    this.tokenStore[event] += count;
  }

  recordHandoff(event: HandoffEvent): void {
    this.handoff[event] += 1;
  }

  /** Plain JSON, safe to serve from a status endpoint. */
  snapshot(): SpectroCloudAuthMetricsSnapshot {
    return {
      signIns: this.signIns,
      signInFailures: Object.fromEntries([...this.signInFailures].sort(([a], [b]) => a.localeCompare(b))),
      tokenStore: { ...this.tokenStore },
      handoff: { ...this.handoff },
    };
  }

  /** Prometheus text exposition format (version 0.0.4). */
  toPrometheus(): string {
    const s = this.snapshot();
    const lines: string[] = [];
    const family = (name: string, help: string, samples: Array<[labels: string, value: number]>) => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`);
      for (const [labels, value] of samples) lines.push(`${name}${labels} ${value}`);
    };
    family('spectrocloud_auth_sign_ins_total', 'Successful SpectroCloud sign-ins.', [['', s.signIns]]);
    family(
      'spectrocloud_auth_sign_in_failures_total',
      'Failed SpectroCloud sign-ins by error code.',
      Object.entries(s.signInFailures).map(([code, n]) => [`{code="${code}"}`, n]),
    );
    family(
      'spectrocloud_auth_token_store_events_total',
      'Session-token store lookups and removals by outcome.',
      TOKEN_STORE_EVENTS.map(event => [`{event="${event}"}`, s.tokenStore[event]]),
    );
    family(
      'spectrocloud_auth_token_handoff_total',
      'SpectroCloud token requests from backend plugins by outcome.',
      HANDOFF_EVENTS.map(event => [`{outcome="${event}"}`, s.handoff[event]]),
    );
    return `${lines.join('\n')}\n`;
  }
}

/** @public */
export function createAuthMetrics(): SpectroCloudAuthMetrics {
  return new SpectroCloudAuthMetrics();
}

function zeroes<K extends string>(keys: readonly K[]): Record<K, number> {
  return Object.fromEntries(keys.map(k => [k, 0])) as Record<K, number>;
}
