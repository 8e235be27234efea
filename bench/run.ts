// `pnpm bench`: every figure for our provider and for the baseline side by
// side, in one process on loopback, with the ratios; writes BENCHMARKS.md.
//   pnpm bench            the full run (about 3 minutes)
//   pnpm bench --quick    a smoke run with tiny durations (BENCHMARKS.md untouched unless --write)
//   pnpm bench --report-only   re-render BENCHMARKS.md from the last full run (.bench-out/results.json)
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulatorBackend, startStandardBackend } from './backend';
import { frontendSizeFigure } from './frontendSize';
import { refreshFigure, startFigure, type LoadFigure } from './http';
import { machineInfo, spliceStoreSection, writeReport, type BenchResults } from './report';
import { readSettings } from './settings';
import { signInBurstFigure, signInFigure } from './signins';
import { memoryStoreFigure, redisStoreFigure, sessionCacheFigure } from './stores';
import { verifyFigure } from './verify';

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
if (process.argv.includes('--only') && process.argv[process.argv.indexOf('--only') + 1] === 'stores') {
  const partial: BenchResults = { settings, machine: machineInfo(), load: [], startedAt: new Date().toISOString() };
  console.log('== 4. session-token stores (alone)');
  partial.redis = await redisStoreFigure(settings);
  partial.memory = await memoryStoreFigure(settings);
  partial.sessionCache = await sessionCacheFigure(settings);
  const { summary } = spliceStoreSection(partial, { write: !settings.quick || process.argv.includes('--write') });
  console.log(summary);
  process.exit(0);
}
const write = !settings.quick || process.argv.includes('--write');
const started = performance.now();
const machine = machineInfo();
console.log(`bench: ${machine.cpu}, ${machine.cores} cores, node ${machine.node}${settings.quick ? ' (--quick)' : ''}`);

const results: BenchResults = { settings, machine, load: [], startedAt: new Date().toISOString() };
const section = (title: string) => console.log(`\n== ${title}`);

section('1. /start and /refresh under load (autocannon, ' + `${settings.connections} connections, ${settings.warmupSeconds}s warm-up + ${settings.loadSeconds}s)`);
const emulatorBackend = await startEmulatorBackend();
try {
  results.load.push(await startFigure(emulatorBackend, settings));
  results.load.push(
    await refreshFigure(emulatorBackend, settings, {
      name: '/refresh (emulator)',
      note: 'SpectroCloud-like IdP: ours re-verifies the stored ID token; the built-in provider attempts a refresh_token grant, which the IdP refuses (401 each time).',
      expect: { spectrocloud: 200, oidc: 401 },
    }),
  );
  // Optional: needs the standard OIDC server from the test harness.
  let standard: Awaited<ReturnType<typeof startStandardBackend>>;
  try {
    standard = await startStandardBackend();
    if (standard) {
      const figure: LoadFigure = await refreshFigure(standard, settings, {
        name: '/refresh (standard IdP)',
        note: 'Standard OIDC server (oidc-provider, prompt=consent + offline_access for both) that issues refresh tokens: both providers do a real refresh_token grant per request.',
        authorize: standard.authorize,
        expect: { spectrocloud: 200, oidc: 200 },
      });
      results.load.push(figure);
    } else {
      results.skipped = [...(results.skipped ?? []), '/refresh against a standard IdP: test/support/standardOidcServer.ts not available'];
    }
  } catch (error) {
    const reason = (error as Error).message.split('\n')[0];
    console.log(`   /refresh (standard IdP): skipped (${reason})`);
    results.skipped = [...(results.skipped ?? []), `/refresh against a standard IdP: ${reason}`];
  } finally {
    await standard?.close();
  }

  section(`2. whole sign-ins (start, authorize, callback, frame), ${settings.virtualUsers} virtual users, ${settings.signInSeconds}s each`);
  results.signIns = await signInFigure(emulatorBackend, settings);

  section(`2b. sign-in bursts: ${settings.bursts.map(b => `${b.total} with ${b.inFlight} in flight`).join('; ')}`);
  results.signInBursts = await signInBurstFigure(emulatorBackend, settings);
} finally {
  await emulatorBackend.close();
}

section('3. ID-token verification (RS256)');
results.verify = await verifyFigure(settings);

section('4. session-token stores');
results.redis = await redisStoreFigure(settings);
results.memory = await memoryStoreFigure(settings);
results.sessionCache = await sessionCacheFigure(settings);

section('5. frontend subpath size');
results.frontend = await frontendSizeFigure();

results.durationSeconds = (performance.now() - started) / 1000;
section('ratios (ours / baseline; within this run)');
if (write) {
  mkdirSync(dirname(RESULTS_JSON), { recursive: true });
  writeFileSync(RESULTS_JSON, JSON.stringify(results, null, 2));
}
const { summary } = writeReport(results, { write });
console.log(summary);
console.log(`\nbench finished in ${results.durationSeconds.toFixed(0)}s${write ? '; BENCHMARKS.md updated' : ''}`);
process.exit(0);
