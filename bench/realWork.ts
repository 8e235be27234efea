// Figure 0, "the real work": what a deployment does, measured per backend
// against Backstage's built-in provider of the same backend.
//   legacy router 0.24.5: ours (own router, no session secret) vs `providers.oidc` (router with auth.session.secret)
//   new backend system (auth plugin 0.31): ours (`./backend-module`) vs `@backstage/plugin-auth-backend-module-oidc-provider`
// Every contender has its own SpectroCloud emulator in standard-OIDC mode
// (`refreshTokenGrant`: opaque refresh tokens, a real refresh_token grant),
// `autoApprove` with `login_hint`, and the same USERS distinct users, who are
// also in the in-memory catalog both resolvers read. Per round and contender:
//   1. whole sign-ins (start, IdP, handler/frame) by VIRTUAL_USERS virtual users, round-robin over the users;
//   2. cold refreshes: the clock of this process (backends and IdPs, not the
//      load generator) is moved past ours' `refreshGrantInterval` (60 s) and
//      its 10 s resolution reuse, then every session of step 1 is refreshed once: a real grant;
//   3. warm refreshes: every session refreshed once more, right after;
//   4. a burst: BURST sign-ins started at once, with p99 and memory.
// The two contenders of a backend take turns A B, B A, ... and each figure is
// the median of its rounds, with the spread and the per-round ratio.
import { Worker } from 'node:worker_threads';
import { emails, legacyPair, newSystemPair, type Pair, type RealContender } from './realWorkContenders';
import type { RealWorkJob, RealWorkResult, SessionCookies } from './realWorkWorker';
import { percentile } from './stats';

export { emails, legacyPair, newSystemPair, type Pair, type RealContender } from './realWorkContenders';
export { renderRealWork, spliceRealWork } from './realWorkReport';

export interface RealWorkSettings {
  quick: boolean;
  users: number;
  virtualUsers: number;
  rounds: number;
  warmupSeconds: number;
  signInSeconds: number;
  burst: number;
}

/** Quick mode (`BENCH_QUICK=1` or `--quick`): two rounds (A B, B A) of short phases, a few minutes in all. */
export function realWorkSettings(quick: boolean, rounds?: number): RealWorkSettings {
  return quick
    ? { quick, users: 1000, virtualUsers: 20, rounds: rounds ?? 2, warmupSeconds: 1, signInSeconds: 3, burst: 500 }
    : { quick, users: 1000, virtualUsers: 20, rounds: rounds ?? 4, warmupSeconds: 2, signInSeconds: 8, burst: 500 };
}

// ---- the process clock, moved instead of sleeping past the grant-reuse interval

/** How far the clock moves before the cold refreshes: past ours' 60 s `refreshGrantInterval` and 10 s resolution reuse. */
const COLD_SHIFT_MS = 90_000;
const RealDate = Date;
let offsetMs = 0;
class ShiftedDate extends RealDate {
  constructor(...args: unknown[]) {
    if (args.length === 0) super(RealDate.now() + offsetMs);
    else super(...(args as [string]));
  }
  static override now(): number {
    return RealDate.now() + offsetMs;
  }
}
/** Every `Date.now()` and `new Date()` of this thread (backends, IdPs) runs `offsetMs` ahead; the worker's clock does not move. */
export function installClock(): () => void {
  globalThis.Date = ShiftedDate as DateConstructor;
  return () => {
    globalThis.Date = RealDate;
    offsetMs = 0;
  };
}

/** Moves this thread's clock (after `installClock`), e.g. past the grant-reuse interval before cold refreshes. */
export function shiftClock(ms: number = COLD_SHIFT_MS): void {
  offsetMs += ms;
}

// ---- measuring

export function runWorker(job: RealWorkJob): Promise<RealWorkResult> {
  return new Promise((resolve, reject) => {
    const file = new URL('./realWorkWorker.ts', import.meta.url).href;
    const bootstrap = `import('tsx/esm/api').then(tsx => { tsx.register(); return import(${JSON.stringify(file)}); })`;
    const worker = new Worker(bootstrap, { eval: true, workerData: job });
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', code => (code === 0 ? undefined : reject(new Error(`real-work worker exited with ${code}`))));
  });
}

export interface PhaseFigure {
  perSec: number;
  p50Ms: number;
  p99Ms: number;
  completed: number;
  failed: number;
  firstError?: string;
}

export interface BurstFigure extends PhaseFigure {
  seconds: number;
  /** process-wide (backends, IdPs and the load generator's worker): highest RSS during the burst minus before */
  peakRssMb: number;
  /** this thread's V8 heap (backends, IdPs): highest during the burst minus before (after a GC) */
  peakHeapMb: number;
  /** this thread's V8 heap after the burst and a GC, minus before: what the burst's sessions left behind */
  retainedHeapMb: number;
}

export interface RoundFigures {
  signIn: PhaseFigure;
  cold: PhaseFigure;
  warm: PhaseFigure;
  burst: BurstFigure;
  sessions: number;
}

const phase = (r: RealWorkResult): PhaseFigure => {
  const sorted = [...r.latenciesMs].sort((a, b) => a - b);
  return { perSec: r.completed / r.seconds, p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99), completed: r.completed, failed: r.failed, firstError: r.firstError };
};

const gc = () => (globalThis as { gc?: () => void }).gc?.();
const mb = (bytes: number) => bytes / 1024 / 1024;

async function oneRound(c: RealContender, s: RealWorkSettings, users: string[], first: number): Promise<{ figures: RoundFigures; next: number }> {
  const base = { authUrl: c.authUrl, provider: c.provider };
  const signIn = await runWorker({ mode: 'signin', ...base, emails: users, virtualUsers: s.virtualUsers, warmupSeconds: s.warmupSeconds, seconds: s.signInSeconds, first, keep: users.length });
  // Every session's grant is now older than ours' reuse interval: the next refresh is a real grant.
  shiftClock();
  const cold = await runWorker({ mode: 'refresh', ...base, sessions: signIn.sessions, virtualUsers: s.virtualUsers });
  const warm = await runWorker({ mode: 'refresh', ...base, sessions: cold.sessions as SessionCookies[], virtualUsers: s.virtualUsers });

  gc();
  const before = process.memoryUsage();
  let peakRss = before.rss;
  let peakHeap = before.heapUsed;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 20);
  const burst = await runWorker({ mode: 'burst', ...base, emails: users, total: s.burst, first: signIn.next });
  clearInterval(sampler);
  gc();
  const after = process.memoryUsage();
  return {
    figures: {
      signIn: phase(signIn),
      cold: phase(cold),
      warm: phase(warm),
      burst: { ...phase(burst), seconds: burst.seconds, peakRssMb: mb(peakRss - before.rss), peakHeapMb: mb(peakHeap - before.heapUsed), retainedHeapMb: mb(after.heapUsed - before.heapUsed) },
      sessions: signIn.sessions.length,
    },
    next: burst.next,
  };
}

export interface PairResult {
  backend: string;
  ours: { label: string; rounds: RoundFigures[] };
  builtIn: { label: string; rounds: RoundFigures[] };
}

export interface RealWorkResults {
  settings: RealWorkSettings;
  pairs: PairResult[];
  skipped?: string[];
}

const line = (round: number, c: RealContender, f: RoundFigures) =>
  `   #${round} ${c.label.padEnd(58)} sign-ins ${f.signIn.perSec.toFixed(1).padStart(6)}/s p99 ${f.signIn.p99Ms.toFixed(0).padStart(5)} ms | cold ${f.cold.perSec.toFixed(1).padStart(6)}/s | warm ${f.warm.perSec.toFixed(1).padStart(7)}/s | burst ${f.burst.completed}/${f.burst.completed + f.burst.failed} p99 ${f.burst.p99Ms.toFixed(0)} ms, heap +${f.burst.peakHeapMb.toFixed(0)} MB` +
  `${[f.signIn, f.cold, f.warm, f.burst].some(p => p.failed) ? ` [failed: ${[f.signIn, f.cold, f.warm, f.burst].map(p => p.failed).join('/')}: ${[f.signIn, f.cold, f.warm, f.burst].find(p => p.firstError)?.firstError}]` : ''}`;

export async function realWorkFigure(s: RealWorkSettings): Promise<RealWorkResults> {
  const users = emails(s.users);
  const results: RealWorkResults = { settings: s, pairs: [] };
  const restoreClock = installClock();
  try {
    for (const startPair of [legacyPair, newSystemPair]) {
      let pair: Pair;
      try {
        pair = await startPair(users);
      } catch (error) {
        const reason = `${startPair.name}: ${(error as Error).message.split('\n')[0]}`;
        console.log(`   could not start ${reason}`);
        (results.skipped ??= []).push(reason);
        continue;
      }
      const out: PairResult = { backend: pair.backend, ours: { label: pair.ours.label, rounds: [] }, builtIn: { label: pair.builtIn.label, rounds: [] } };
      const next = new Map<RealContender, number>([[pair.ours, 0], [pair.builtIn, 0]]);
      try {
        for (let round = 0; round < s.rounds; round++) {
          // A B, B A, A B, ...: background load hits a round, not a side.
          const order = round % 2 === 0 ? [pair.ours, pair.builtIn] : [pair.builtIn, pair.ours];
          for (const c of order) {
            const { figures, next: n } = await oneRound(c, s, users, next.get(c)!);
            next.set(c, n);
            (c === pair.ours ? out.ours : out.builtIn).rounds.push(figures);
            console.log(line(round + 1, c, figures));
          }
        }
      } finally {
        await pair.ours.close();
        await pair.builtIn.close();
      }
      results.pairs.push(out);
    }
  } finally {
    restoreClock();
  }
  return results;
}

