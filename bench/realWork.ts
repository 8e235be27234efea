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
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { JsonObject } from '@backstage/types';
import { providers as builtInProviders } from '@backstage/plugin-auth-backend';
import { spectrocloud } from '../src';
import { startSpectroCloudEmulator, type SpectroCloudEmulator } from '../src/testing';
import { startLegacyBackend, userEntity } from '../test/support/legacyBackend';
import { startNewBackend } from '../test/support/newBackend';
import { BASELINE_CLIENT, OURS_CLIENT, silentLogger } from './backend';
import type { RealWorkJob, RealWorkResult, SessionCookies } from './realWorkWorker';
import { fmt, median, percentile } from './stats';

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
function installClock(): () => void {
  globalThis.Date = ShiftedDate as DateConstructor;
  return () => {
    globalThis.Date = RealDate;
    offsetMs = 0;
  };
}

// ---- contenders

export interface RealContender {
  id: string;
  label: string;
  authUrl: string;
  provider: string;
  close(): Promise<void>;
}

export interface Pair {
  backend: string;
  ours: RealContender;
  builtIn: RealContender;
}

export const emails = (n: number) => Array.from({ length: n }, (_, i) => `user${i}@example.com`);

/**
 * `palette: true` is SpectroCloud's own shape (the `refresh_token` is the HS256
 * session token, so ours captures it into its token store at sign-in, and no
 * refresh grant exists); by default standard OIDC with opaque refresh tokens.
 */
export interface IdpMode {
  palette?: boolean;
}

function startIdp(users: string[], client: { clientId: string; clientSecret: string }, redirectUri: string, mode: IdpMode = {}): Promise<SpectroCloudEmulator> {
  return startSpectroCloudEmulator({
    clients: [{ ...client, redirectUris: [redirectUri] }],
    users: users.map((email, i) => ({ email, given_name: `User${i}`, family_name: 'Example' })),
    autoApprove: true,
    refreshTokenGrant: !mode.palette,
  });
}

async function withIdp<T extends { close(): Promise<void>; authUrl: string }>(
  start: (idp: (redirectUri: string) => Promise<SpectroCloudEmulator>) => Promise<T>,
  users: string[],
  client: { clientId: string; clientSecret: string },
  mode: IdpMode = {},
): Promise<{ backend: T; close(): Promise<void> }> {
  let emulator: SpectroCloudEmulator | undefined;
  const backend = await start(async redirectUri => (emulator = await startIdp(users, client, redirectUri, mode)));
  return {
    backend,
    close: async () => {
      await backend.close();
      await emulator?.close();
    },
  };
}

const RESOLVERS = { resolvers: [{ resolver: 'emailMatchingUserEntityProfileEmail' }] };

export async function legacyPair(users: string[], mode: IdpMode = {}): Promise<Pair> {
  const entities = users.map((email, i) => userEntity(`user${i}`, email));
  const ours = await withIdp(
    idp =>
      startLegacyBackend({
        providerFactories: { spectrocloud: spectrocloud.create({ signIn: { resolver: spectrocloud.resolvers.emailMatchingUserEntityProfileEmail() } }) },
        users: entities,
        logger: silentLogger(),
        keepAliveTimeoutMs: 60_000,
        providers: async url => {
          const e = await idp(`${url}/api/auth/spectrocloud/handler/frame`);
          return { spectrocloud: { development: { ...OURS_CLIENT, authorizationUrl: e.authorizationUrl } } } as JsonObject;
        },
      }),
    users,
    OURS_CLIENT,
    mode,
  );
  const builtIn = await withIdp(
    idp =>
      startLegacyBackend({
        providerFactories: { oidc: builtInProviders.oidc.create({ signIn: { resolver: builtInProviders.oidc.resolvers.emailMatchingUserEntityProfileEmail() } }) },
        users: entities,
        // The built-in keeps its OAuth state in express-session: its docs require the secret.
        auth: { session: { secret: 'bench-session-secret-3f9b0d1e' } },
        logger: silentLogger(),
        keepAliveTimeoutMs: 60_000,
        providers: async url => {
          const e = await idp(`${url}/api/auth/oidc/handler/frame`);
          return { oidc: { development: { ...BASELINE_CLIENT, metadataUrl: e.discoveryUrl, prompt: 'auto' } } } as JsonObject;
        },
      }),
    users,
    BASELINE_CLIENT,
    mode,
  );
  return {
    backend: 'legacy router (plugin-auth-backend 0.24.5)',
    ours: { id: 'legacy-ours', label: 'ours, own legacy router (no session secret)', authUrl: ours.backend.authUrl, provider: 'spectrocloud', close: ours.close },
    builtIn: { id: 'legacy-builtin', label: 'built-in `providers.oidc` (router with auth.session.secret)', authUrl: builtIn.backend.authUrl, provider: 'oidc', close: builtIn.close },
  };
}

/**
 * The new system's built-in oidc module. Not a devDependency of ours (adding it
 * would churn the lockfile): it is in the tree as plugin-auth-backend 0.24.5's
 * dependency (0.4.21, on the same plugin-auth-node 0.7.8 as auth plugin 0.31).
 */
async function loadBuiltInOidcModule(): Promise<unknown> {
  const require = createRequire(import.meta.url);
  const fromAuthBackend = createRequire(require.resolve('@backstage/plugin-auth-backend'));
  const mod = (await import(pathToFileURL(fromAuthBackend.resolve('@backstage/plugin-auth-backend-module-oidc-provider')).href)) as { default: { default?: unknown } | unknown };
  const feature = mod.default as { default?: unknown; $$type?: string };
  return feature.$$type ? feature : (feature.default ?? feature);
}

export async function newSystemPair(users: string[], mode: IdpMode = {}): Promise<Pair> {
  const entities = users.map((email, i) => userEntity(`user${i}`, email));
  const oidcModule = await loadBuiltInOidcModule();
  const ours = await withIdp(
    idp =>
      startNewBackend({
        users: entities,
        logger: silentLogger(),
        keepAliveTimeoutMs: 60_000,
        providers: async url => {
          const e = await idp(`${url}/api/auth/spectrocloud/handler/frame`);
          return { spectrocloud: { development: { ...OURS_CLIENT, authorizationUrl: e.authorizationUrl, signIn: RESOLVERS } } } as JsonObject;
        },
      }),
    users,
    OURS_CLIENT,
    mode,
  );
  const builtIn = await withIdp(
    idp =>
      startNewBackend({
        users: entities,
        logger: silentLogger(),
        keepAliveTimeoutMs: 60_000,
        features: [oidcModule as never],
        // As on the legacy router, the built-in keeps its OAuth state in express-session ("authentication requires session support" without it).
        auth: { session: { secret: 'bench-session-secret-3f9b0d1e' } },
        providers: async url => {
          const e = await idp(`${url}/api/auth/oidc/handler/frame`);
          return { oidc: { development: { ...BASELINE_CLIENT, metadataUrl: e.discoveryUrl, prompt: 'auto', signIn: RESOLVERS } } } as JsonObject;
        },
      }),
    users,
    BASELINE_CLIENT,
    mode,
  );
  return {
    backend: 'new backend system (auth plugin 0.31)',
    ours: { id: 'new-ours', label: 'ours, `./backend-module`', authUrl: ours.backend.authUrl, provider: 'spectrocloud', close: ours.close },
    builtIn: { id: 'new-builtin', label: 'built-in `auth-backend-module-oidc-provider` 0.4.21 (auth.session.secret set)', authUrl: builtIn.backend.authUrl, provider: 'oidc', close: builtIn.close },
  };
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
  offsetMs += COLD_SHIFT_MS;
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

// ---- report

type Metric = 'signIn' | 'cold' | 'warm';
const METRICS: Array<[Metric, string]> = [
  ['signIn', 'whole sign-ins/s (start, IdP, callback)'],
  ['cold', 'cold refreshes/s (one real grant per session)'],
  ['warm', 'warm refreshes/s (right after the cold one)'],
];

const spread = (values: number[], digits = 0) => `${fmt(Math.min(...values), digits)}-${fmt(Math.max(...values), digits)}`;
const x = (v: number) => (Number.isFinite(v) ? `${v.toFixed(2)}x` : 'n/a');

function perRoundRatios(p: PairResult, pick: (f: RoundFigures) => number): number[] {
  const n = Math.min(p.ours.rounds.length, p.builtIn.rounds.length);
  return Array.from({ length: n }, (_, i) => pick(p.ours.rounds[i]) / pick(p.builtIn.rounds[i]));
}

/** The markdown of figure 0, and a one-line summary per backend. */
export function renderRealWork(r: RealWorkResults, when: string): { markdown: string; summary: string[] } {
  const s = r.settings;
  const out: string[] = [];
  const summary: string[] = [];
  out.push(
    `Measured ${when}${s.quick ? ' in quick mode' : ''}: ${s.users} distinct users round-robin, ${s.virtualUsers} virtual users in a worker thread, ` +
      `${s.rounds} interleaved rounds per backend (A B, B A, ...), each round ${s.warmupSeconds} s warm-up + ${s.signInSeconds} s of sign-ins, ` +
      `then every session of those seconds refreshed once cold and once warm, then a burst of ${s.burst} sign-ins started at once. ` +
      'Each figure is the **median of the rounds**; spread = lowest-highest round; ratio = ours / built-in, the median of the per-round ratios.',
    '',
  );
  for (const p of r.pairs) {
    out.push(`#### ${p.backend}`, '', `ours: ${p.ours.label}; built-in: ${p.builtIn.label}.`, '');
    out.push('| measure | ours median (spread) | built-in median (spread) | ours / built-in (per-round range) | p50 / p99 ms ours | p50 / p99 ms built-in | failed ours / built-in |');
    out.push('|---|---:|---:|---:|---:|---:|---:|');
    for (const [metric, title] of METRICS) {
      const o = p.ours.rounds.map(f => f[metric]);
      const b = p.builtIn.rounds.map(f => f[metric]);
      const ratios = perRoundRatios(p, f => f[metric].perSec);
      const digits = metric === 'warm' ? 0 : 1;
      out.push(
        `| ${title} | **${fmt(median(o.map(f => f.perSec)), digits)}** (${spread(o.map(f => f.perSec), digits)}) | **${fmt(median(b.map(f => f.perSec)), digits)}** (${spread(b.map(f => f.perSec), digits)}) | ` +
          `**${x(median(ratios))}** (${x(Math.min(...ratios))}-${x(Math.max(...ratios))}) | ${fmt(median(o.map(f => f.p50Ms)), 1)} / ${fmt(median(o.map(f => f.p99Ms)), 1)} | ` +
          `${fmt(median(b.map(f => f.p50Ms)), 1)} / ${fmt(median(b.map(f => f.p99Ms)), 1)} | ${o.reduce((a, f) => a + f.failed, 0)} / ${b.reduce((a, f) => a + f.failed, 0)} |`,
      );
      summary.push(`${p.backend}: ${title}: ours/built-in ${x(median(ratios))}`);
    }
    const ob = p.ours.rounds.map(f => f.burst);
    const bb = p.builtIn.rounds.map(f => f.burst);
    const burstRatios = perRoundRatios(p, f => f.burst.seconds).map(v => 1 / v);
    out.push(
      `| burst of ${s.burst} sign-ins at once: wall s | **${fmt(median(ob.map(f => f.seconds)), 2)}** (${spread(ob.map(f => f.seconds), 2)}) | **${fmt(median(bb.map(f => f.seconds)), 2)}** (${spread(bb.map(f => f.seconds), 2)}) | ` +
        `**${x(median(burstRatios))}** faster (${x(Math.min(...burstRatios))}-${x(Math.max(...burstRatios))}) | ${fmt(median(ob.map(f => f.p50Ms)), 0)} / ${fmt(median(ob.map(f => f.p99Ms)), 0)} | ` +
        `${fmt(median(bb.map(f => f.p50Ms)), 0)} / ${fmt(median(bb.map(f => f.p99Ms)), 0)} | ${ob.reduce((a, f) => a + f.failed, 0)} / ${bb.reduce((a, f) => a + f.failed, 0)} |`,
    );
    out.push(
      `| burst: peak RSS / peak heap / heap kept after GC, MB over before | ${fmt(median(ob.map(f => f.peakRssMb)))} / ${fmt(median(ob.map(f => f.peakHeapMb)))} / ${fmt(median(ob.map(f => f.retainedHeapMb)), 1)} | ` +
        `${fmt(median(bb.map(f => f.peakRssMb)))} / ${fmt(median(bb.map(f => f.peakHeapMb)))} / ${fmt(median(bb.map(f => f.retainedHeapMb)), 1)} |  |  |  |  |`,
    );
    out.push('', `Sessions refreshed per round (cold, then warm): ours ${spread(p.ours.rounds.map(f => f.sessions))}, built-in ${spread(p.builtIn.rounds.map(f => f.sessions))}.`, '');
    summary.push(`${p.backend}: burst of ${s.burst}: ours/built-in ${x(median(burstRatios))} faster`);
  }
  if (r.skipped?.length) out.push(`Not measured: ${r.skipped.join('; ')}.`, '');
  return { markdown: out.join('\n'), summary };
}

const BEGIN = '<!-- real work: written by `pnpm bench` (bench/realWork.ts) from here to the end marker -->';
const END = '<!-- end of real work -->';

/** Puts figure 0 between its markers in BENCHMARKS.md (before the other figures when the markers are missing). */
export function spliceRealWork(text: string, markdown: string): string {
  const block = `${BEGIN}\n\n${markdown}\n${END}`;
  const at = text.indexOf(BEGIN);
  if (at >= 0) return text.slice(0, at) + block + text.slice(text.indexOf(END, at) + END.length);
  const figures = text.indexOf('<!-- figures:');
  return figures >= 0 ? `${text.slice(0, figures)}## 0. The real work: many users, real grants, per backend\n\n${block}\n\n${text.slice(figures)}` : `${text}\n${block}\n`;
}
