// `pnpm bench`: every figure for our provider and for the baseline side by
// side, in one process on loopback, with the ratios; writes BENCHMARKS.md.
//   pnpm bench              the full run (about 25 minutes): every figure and both profile breakdowns
//                           (bench:profile --signin, --refresh), rewritten in BENCHMARKS.md; --no-profiles skips those
//   pnpm bench --quick      a smoke run with tiny durations (BENCHMARKS.md untouched unless --write)
//   pnpm bench --only load  figure 1 alone (with --quick: about 30 s), printed, BENCHMARKS.md untouched
//   pnpm bench --rounds N   figure 1 with N interleaved rounds
//   pnpm bench --report-only   re-render BENCHMARKS.md from the last full run (.bench-out/results.json)
//   pnpm bench --only verify   figure 3 alone, printed
//   pnpm bench --only real  figure 0 alone (the real work per backend); BENCH_QUICK=1 (or --quick) for a few minutes,
//                           --write to put its figures into BENCHMARKS.md from a quick run
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { startEmulatorBackend } from './backend';
import { frontendSizeFigure } from './frontendSize';
import { CONTENDER_GROUPS, legacyContenders, type ContenderGroup } from './contenders';
import { emulatorAuthorize } from './flow';
import { refreshFigure, startFigure } from './load';
import { loadSummary, machineInfo, spliceStoreSection, writeReport, type BenchResults } from './report';
import { option, readSettings } from './settings';
import { signInBurstFigure, signInFigure } from './signins';
import { memoryStoreFigure, redisStoreFigure, sessionCacheFigure, storeMemoryFigure } from './stores';
import { verifyFigure } from './verify';
import { realWorkFigure, realWorkSettings, renderRealWork, spliceRealWork } from './realWork';

const RESULTS_JSON = fileURLToPath(new URL('../.bench-out/results.json', import.meta.url));
if (process.argv.includes('--report-only')) {
  const { summary } = writeReport(JSON.parse(readFileSync(RESULTS_JSON, 'utf8')) as BenchResults, { write: true });
  console.log(`${summary}\nBENCHMARKS.md re-rendered from ${RESULTS_JSON}`);
  process.exit(0);
}

// The memory figure wants a forced GC before each reading: re-run this file
// with --expose-gc when it was started without it.
if (typeof (globalThis as { gc?: unknown }).gc !== 'function' && !process.env.BENCH_NO_RESPAWN) {
  const child = spawnSync(process.execPath, [...process.execArgv, '--expose-gc', fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, BENCH_NO_RESPAWN: '1' },
  });
  process.exit(child.status ?? 1);
}

const settings = readSettings(process.argv.slice(2));

// `pnpm bench --only stores`: section 4 alone, spliced into the existing BENCHMARKS.md.
const only = option(process.argv, '--only');
const onlyLoad = only === 'load';
if (only === 'stores') {
  const partial: BenchResults = { settings, machine: machineInfo(), load: [], startedAt: new Date().toISOString() };
  console.log('== 4. Palette-token stores (alone)');
  partial.redis = await redisStoreFigure(settings);
  partial.memory = await memoryStoreFigure(settings);
  partial.sessionCache = await sessionCacheFigure(settings);
  partial.storeMemory = await storeMemoryFigure(settings);
  const { summary } = spliceStoreSection(partial, { write: !settings.quick || process.argv.includes('--write') });
  console.log(summary);
  process.exit(0);
}
const write = !settings.quick || process.argv.includes('--write');
const BENCHMARKS_MD = fileURLToPath(new URL('../BENCHMARKS.md', import.meta.url));

/** Figure 0: the real work per backend, spliced into BENCHMARKS.md between its own markers. */
async function realWork(): Promise<string[]> {
  const rw = realWorkSettings(settings.quick, option(process.argv, '--real-rounds') ? Number(option(process.argv, '--real-rounds')) : undefined);
  console.log(`\n== 0. the real work per backend: ${rw.users} users, ${rw.virtualUsers} virtual users, ${rw.rounds} interleaved rounds`);
  const result = await realWorkFigure(rw);
  const when = new Date().toISOString();
  mkdirSync(dirname(RESULTS_JSON), { recursive: true });
  writeFileSync(RESULTS_JSON.replace('results.json', 'real-work.json'), JSON.stringify({ when, ...result }, null, 2));
  const { markdown, summary } = renderRealWork(result, `${when}, commit ${commitId()}, ${machineInfo().cores} cores, load average ${loadavg().map(l => l.toFixed(1)).join(' ')} at the end`);
  if (write) writeFileSync(BENCHMARKS_MD, spliceRealWork(readFileSync(BENCHMARKS_MD, 'utf8'), markdown));
  return summary;
}
function commitId(): string {
  return spawnSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).stdout.trim() || 'unknown';
}
// `pnpm bench --only verify`: figure 3 alone, printed (BENCHMARKS.md untouched).
if (only === 'verify') {
  const v = await verifyFigure(settings);
  console.log(JSON.stringify(v, null, 2));
  process.exit(0);
}
if (only === 'real') {
  const t0 = performance.now();
  const summary = await realWork();
  console.log(`\n${summary.join('\n')}\n\nbench (--only real) finished in ${((performance.now() - t0) / 1000).toFixed(0)}s${write ? '; BENCHMARKS.md updated' : ''}`);
  process.exit(0);
}
const started = performance.now();
const machine = machineInfo();
console.log(`bench: ${machine.cpu}, ${machine.cores} cores, node ${machine.node}${settings.quick ? ' (--quick)' : ''}`);

const results: BenchResults = { settings, machine, load: [], startedAt: new Date().toISOString() };
const section = (title: string) => console.log(`\n== ${title}`);

const realWorkSummary = onlyLoad ? [] : await realWork();
section(`1. /start and /refresh under load (autocannon, ${settings.connections} connections, ${settings.rounds} interleaved rounds of ${settings.warmupSeconds}s warm-up + ${settings.loadSeconds}s)`);
const groups: ContenderGroup[] = [];
try {
  for (const startGroup of CONTENDER_GROUPS) {
    try {
      const group = await startGroup();
      if (group) groups.push(group);
      else results.skipped = [...(results.skipped ?? []), 'a contender group: its bootstrap is not available'];
    } catch (error) {
      const reason = (error as Error).message.split('\n')[0];
      console.log(`   a contender group could not start: ${reason}`);
      results.skipped = [...(results.skipped ?? []), `a contender group: ${reason}`];
    }
  }
  const contenders = groups.flatMap(g => g.contenders);
  if (contenders.length >= 2) {
    const idp = [...new Set(groups.map(g => g.idp))].join(', ');
    results.load.push(await startFigure(settings, contenders));
    results.load.push(
      await refreshFigure(settings, contenders, {
        name: '/refresh',
        note: `Standard IdP (${idp}, prompt=consent + offline_access for every contender) that issues real refresh tokens; each run signs in afresh and replays that one session's cookies from 20 connections (for ours mostly the 60 s grant reuse: see figure 0 for one real grant per session).`,
      }),
    );
  }
} finally {
  for (const group of groups) await group.close();
}
if (onlyLoad) {
  results.durationSeconds = (performance.now() - started) / 1000;
  console.log(`\n${loadSummary(results.load).join('\n')}\n\nbench (--only load) finished in ${results.durationSeconds.toFixed(0)}s; BENCHMARKS.md untouched`);
  process.exit(0);
}

const emulatorBackend = await startEmulatorBackend();
try {
  results.load.push(
    await refreshFigure({ ...settings, rounds: Math.max(2, settings.rounds >> 1) }, legacyContenders(emulatorBackend, emulatorAuthorize, { oidc: 401 }), {
      name: '/refresh (emulator)',
      note: 'SpectroCloud-like IdP (the emulator): ours re-verifies the stored ID token; the built-in provider attempts a refresh_token grant, which the IdP refuses (401 each time).',
      expectedStatus: { spectrocloud: 200, oidc: 401 },
    }),
  );

  section(`2. whole sign-ins (start, authorize, callback, frame), ${settings.virtualUsers} virtual users, ${settings.signInSeconds}s each`);
  results.signIns = await signInFigure(emulatorBackend, settings);

  section(`2b. sign-in bursts: ${settings.bursts.map(b => `${b.total} with ${b.inFlight} in flight`).join('; ')}`);
  results.signInBursts = await signInBurstFigure(emulatorBackend, settings);
} finally {
  await emulatorBackend.close();
}

section('3. ID-token verification (RS256)');
results.verify = await verifyFigure(settings);

section('4. Palette-token stores');
results.redis = await redisStoreFigure(settings);
results.memory = await memoryStoreFigure(settings);
results.sessionCache = await sessionCacheFigure(settings);
results.storeMemory = await storeMemoryFigure(settings);

section('5. frontend subpath size');
results.frontend = await frontendSizeFigure();

results.durationSeconds = (performance.now() - started) / 1000;
section('ratios (ours / baseline; within this run)');
if (write) {
  mkdirSync(dirname(RESULTS_JSON), { recursive: true });
  writeFileSync(RESULTS_JSON, JSON.stringify(results, null, 2));
}
const { summary } = writeReport(results, { write });
console.log([...realWorkSummary, summary].join('\n'));

// The profile breakdowns of figure 0's work (issue 27: where a sign-in and a cold refresh spend their CPU, ours
// against the built-in), from the same run, each in a process of its own as `pnpm bench:profile` runs them.
if (write && !settings.quick && !process.argv.includes('--no-profiles')) {
  for (const kind of ['--signin', '--refresh']) {
    section(`profile: ${kind === '--signin' ? 'whole sign-ins' : 'cold refreshes'} by step, per backend`);
    const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./profile.ts', import.meta.url)), kind], { stdio: 'inherit' });
    if (child.status !== 0) console.log(`   the ${kind} profile failed (exit ${child.status}); its block in BENCHMARKS.md is unchanged`);
  }
}
console.log(`\nbench finished in ${((performance.now() - started) / 1000).toFixed(0)}s${write ? '; BENCHMARKS.md updated' : ''}`);
process.exit(0);
