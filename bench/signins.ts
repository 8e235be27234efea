// Figure 2: whole sign-ins per second with concurrent virtual users.
import { Worker } from 'node:worker_threads';
import { BENCH_USERS, LABEL, PROVIDERS, type BenchBackend, type ProviderName } from './backend';
import type { Settings } from './settings';
import type { SignInLoadResult } from './signinWorker';
import { median, percentile } from './stats';

export interface SignInFigureResult {
  provider: ProviderName;
  perSec: number;
  completed: number;
  failed: number;
  p50Ms: number;
  p99Ms: number;
  firstError?: string;
  /** what this provider's sign-ins asked of the IdP (emulator counters) */
  idpRequests?: { token: number; jwks: number; discovery: number; userinfo?: number };
  /** sign-ins/s of every round (perSec, p50Ms, p99Ms are the medians of the rounds) */
  rounds?: number[];
  /** ours / baseline within each round */
  roundRatios?: number[];
}

export function runWorker(data: Record<string, unknown>): Promise<SignInLoadResult> {
  return new Promise((resolve, reject) => {
    // Workers do not inherit `--import tsx`: register tsx in the worker, then load the TypeScript file.
    const file = new URL('./signinWorker.ts', import.meta.url).href;
    const bootstrap = `import('tsx/esm/api').then(tsx => { tsx.register(); return import(${JSON.stringify(file)}); })`;
    const worker = new Worker(bootstrap, { eval: true, workerData: data });
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', code => (code === 0 ? undefined : reject(new Error(`sign-in worker exited with ${code}`))));
  });
}

export async function signInFigure(backend: BenchBackend, settings: Settings): Promise<Record<ProviderName, SignInFigureResult>> {
  const results = {} as Record<ProviderName, SignInFigureResult>;
  const stats = backend.idp.kind === 'emulator' ? backend.idp.emulator.stats : undefined;
  // Interleaved rounds (A B, B A, ...); each provider's figure is the median of its rounds, as in figure 1.
  const all = { spectrocloud: [], oidc: [] } as Record<ProviderName, SignInFigureResult[]>;
  for (let round = 1; round <= settings.signInRounds; round++) {
    const order = round % 2 === 1 ? PROVIDERS : [...PROVIDERS].reverse();
    for (const provider of order) {
      const before = stats && { ...stats };
      const r = await runWorker({
        authUrl: backend.authUrl,
        provider,
        emails: BENCH_USERS.map(u => u.email),
        virtualUsers: settings.virtualUsers,
        warmupSeconds: settings.warmupSeconds,
        seconds: settings.signInSeconds,
      });
      const sorted = [...r.latenciesMs].sort((a, b) => a - b);
      const x: SignInFigureResult = {
        provider,
        perSec: r.completed / r.seconds,
        completed: r.completed,
        failed: r.failed,
        p50Ms: percentile(sorted, 50),
        p99Ms: percentile(sorted, 99),
        firstError: r.firstError,
        idpRequests:
          stats && before
            ? { token: stats.tokenRequests - before.tokenRequests, jwks: stats.jwksRequests - before.jwksRequests, discovery: stats.discoveryRequests - before.discoveryRequests }
            : undefined,
      };
      console.log(
        `   ${`whole sign-in #${round}`.padEnd(26)} ${LABEL[provider].padEnd(26)} ${x.perSec.toFixed(1).padStart(6)} /s    p50 ${x.p50Ms.toFixed(1).padStart(6)} ms  p99 ${x.p99Ms.toFixed(1).padStart(6)} ms  [${x.completed} ok, ${x.failed} failed${x.firstError ? `: ${x.firstError}` : ''}]${x.idpRequests ? ` IdP: ${x.idpRequests.token} token, ${x.idpRequests.jwks} JWKS, ${x.idpRequests.discovery} discovery requests` : ''}`,
      );
      all[provider].push(x);
    }
  }
  for (const provider of PROVIDERS) {
    const rounds = all[provider];
    const other = all[provider === 'spectrocloud' ? 'oidc' : 'spectrocloud'];
    results[provider] = {
      ...rounds[0],
      perSec: median(rounds.map(x => x.perSec)),
      p50Ms: median(rounds.map(x => x.p50Ms)),
      p99Ms: median(rounds.map(x => x.p99Ms)),
      completed: rounds.reduce((a, x) => a + x.completed, 0),
      failed: rounds.reduce((a, x) => a + x.failed, 0),
      firstError: rounds.find(x => x.firstError)?.firstError,
      idpRequests: rounds[0].idpRequests && {
        token: rounds.reduce((a, x) => a + (x.idpRequests?.token ?? 0), 0),
        jwks: rounds.reduce((a, x) => a + (x.idpRequests?.jwks ?? 0), 0),
        discovery: rounds.reduce((a, x) => a + (x.idpRequests?.discovery ?? 0), 0),
      },
      rounds: rounds.map(x => x.perSec),
      roundRatios: provider === 'spectrocloud' ? rounds.map((x, i) => x.perSec / other[i].perSec) : undefined,
    };
  }
  return results;
}

export interface SignInBurstResult {
  provider: ProviderName;
  /** sign-ins in the burst and how many were in flight at once */
  total: number;
  inFlight: number;
  completed: number;
  failed: number;
  seconds: number;
  p50Ms: number;
  p99Ms: number;
  firstError?: string;
}

/**
 * Figure 2b: bursts of whole sign-ins, each provider in turn on the same
 * backend: `total` sign-ins with at most `inFlight` at once (200 started at
 * once; 2,000 at 50 in flight). Fresh browsers, no warm-up beyond the figures before.
 */
export async function signInBurstFigure(backend: BenchBackend, settings: Settings): Promise<SignInBurstResult[]> {
  const rows: SignInBurstResult[] = [];
  for (const shape of settings.bursts) {
    for (const provider of PROVIDERS) {
      const r = await runWorker({
        authUrl: backend.authUrl,
        provider,
        emails: BENCH_USERS.map(u => u.email),
        virtualUsers: shape.inFlight,
        warmupSeconds: 0,
        seconds: 0,
        burst: shape,
      });
      const sorted = [...r.latenciesMs].sort((a, b) => a - b);
      const row: SignInBurstResult = {
        provider,
        ...shape,
        completed: r.completed,
        failed: r.failed,
        seconds: r.seconds,
        p50Ms: percentile(sorted, 50),
        p99Ms: percentile(sorted, 99),
        firstError: r.firstError,
      };
      console.log(
        `   ${`${shape.total} sign-ins, ${shape.inFlight} in flight`.padEnd(30)} ${LABEL[provider].padEnd(26)} ${row.seconds.toFixed(1).padStart(6)} s    p50 ${row.p50Ms.toFixed(1).padStart(7)} ms  p99 ${row.p99Ms.toFixed(1).padStart(7)} ms  [${row.completed} ok, ${row.failed} failed${row.firstError ? `: ${row.firstError}` : ''}]`,
      );
      rows.push(row);
    }
  }
  return rows;
}
