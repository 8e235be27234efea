// `pnpm bench:profile`: a CPU profile of the backend (this process's main
// thread: both routers and the in-process IdP) while autocannon drives one
// endpoint of one contender from a worker thread, split into phases by
// profileBreakdown.ts and written into BENCHMARKS.md between its profile markers.
// The profiler is V8's sampling profiler, the one `node --cpu-prof` starts,
// switched on through node:inspector for the measured seconds only; the
// .cpuprofile files stay in .bench-out/profiles/ (open them in Chrome DevTools).
//   pnpm bench:profile                 /refresh and /start, figure 1's legacy contenders, 6 s each
//   pnpm bench:profile --seconds 3     shorter
//   pnpm bench:profile --analyze f.cpuprofile   the breakdown of a profile written by `node --cpu-prof`
//   pnpm bench:profile --no-write      print only
//   pnpm bench:profile --save before   also keep the figures in .bench-out/profile-before.json
//   pnpm bench:profile --compare before   add that run's columns for ours (e.g. the code before a change)
//   pnpm bench:profile --signin        whole sign-ins per backend, ours vs the built-in, by step (bench/signInProfile.ts)
//   pnpm bench:profile --refresh       cold refreshes (one real grant each) per backend, ours vs the built-in, by step
import { Session } from 'node:inspector/promises';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { startLegacyContenders, type Contender } from './contenders';
import { breakdown, type CpuProfile } from './profileBreakdown';
import { machineInfo } from './report';
import { option } from './settings';
import { coldRefreshProfiles, reanalyzeSignInProfiles, renderSignInProfile, signInProfiles } from './signInProfile';
import { fmt } from './stats';

const argv = process.argv.slice(2);
const OUT = fileURLToPath(new URL('../.bench-out/profiles/', import.meta.url));
const BENCHMARKS_MD = fileURLToPath(new URL('../BENCHMARKS.md', import.meta.url));
const BEGIN = '<!-- profile: written by `pnpm bench:profile` from here to the end marker -->';
const END = '<!-- end of profile -->';

const analyze = option(argv, '--analyze');
if (analyze) {
  const result = breakdown(JSON.parse(readFileSync(analyze, 'utf8')) as CpuProfile);
  for (const p of result.phases) console.log(`${(p.share * 100).toFixed(1).padStart(5)} %  ${fmt(p.ms).padStart(7)} ms  ${p.name}`);
  console.log('\ntop frames left in "other":');
  for (const f of result.topOther) console.log(`${fmt(f.ms).padStart(7)} ms  ${f.frame}`);
  process.exit(0);
}

const seconds = Number(option(argv, '--seconds') ?? 6);

if (argv.includes('--signin') || argv.includes('--refresh')) {
  const refresh = argv.includes('--refresh');
  const SIGNIN_BEGIN = refresh
    ? '<!-- cold-refresh profile: written by `pnpm bench:profile --refresh` from here to the end marker -->'
    : '<!-- sign-in profile: written by `pnpm bench:profile --signin` from here to the end marker -->';
  const SIGNIN_END = refresh ? '<!-- end of cold-refresh profile -->' : '<!-- end of sign-in profile -->';
  const block = refresh
    ? renderSignInProfile(await coldRefreshProfiles(OUT), seconds, 'cold refresh')
    : renderSignInProfile(argv.includes('--reanalyze') ? reanalyzeSignInProfiles(OUT) : await signInProfiles(seconds, OUT), seconds);
  console.log(`\n${block}`);
  if (!argv.includes('--no-write')) {
    const current = readFileSync(BENCHMARKS_MD, 'utf8');
    const begin = current.indexOf(SIGNIN_BEGIN);
    const next =
      begin >= 0
        ? `${current.slice(0, begin + SIGNIN_BEGIN.length)}\n\n${block}\n\n${current.slice(current.indexOf(SIGNIN_END, begin))}`
        : current.replace(BEGIN, `${SIGNIN_BEGIN}\n\n${block}\n\n${SIGNIN_END}\n\n${BEGIN}`);
    writeFileSync(BENCHMARKS_MD, next);
    console.log('\nBENCHMARKS.md: sign-in profile block updated');
  }
  process.exit(0);
}
const connections = 20;

interface Measured {
  endpoint: string;
  contender: Pick<Contender, 'id' | 'label'>;
  requests: number;
  busyMs: number;
  phases: Array<{ name: string; ms: number; share: number }>;
}

async function profiled(url: string, headers: Record<string, string>, file: string) {
  await autocannon({ url, headers, connections, duration: 1, workers: 1 }); // warm-up
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  const result = await autocannon({ url, headers, connections, duration: seconds, workers: 1 });
  const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: CpuProfile };
  session.disconnect();
  writeFileSync(file, JSON.stringify(profile));
  const requests = Object.values(result.statusCodeStats ?? {}).reduce((a, s) => a + Number(s.count), 0);
  return { profile, requests };
}

mkdirSync(OUT, { recursive: true });
// The legacy contenders of figure 1: ours in its own router (no session secret), the built-in, ours in the built-in's router.
const legacy = await startLegacyContenders();
if (!legacy) throw new Error('the standard OIDC server (test/support/standardOidcServer.ts) is needed');
const measured: Measured[] = [];
try {
  const { contenders } = legacy;
  for (const endpoint of ['/refresh', '/start']) {
    for (const contender of contenders) {
      const headers: Record<string, string> =
        endpoint === '/refresh' ? { cookie: await contender.signIn(), 'x-requested-with': 'XMLHttpRequest' } : {};
      const file = `${OUT}${contender.id}${endpoint.replace('/', '-')}.cpuprofile`;
      const { profile, requests } = await profiled(`${contender.providerUrl}${endpoint}?env=development`, headers, file);
      const { busyMs, phases } = breakdown(profile);
      measured.push({ endpoint, contender, requests, busyMs, phases });
      console.log(`\n${endpoint} ${contender.label}: ${requests} requests, ${fmt((busyMs * 1000) / requests)} µs of main-thread CPU each (${file})`);
      for (const p of phases) console.log(`${(p.share * 100).toFixed(1).padStart(5)} %  ${fmt((p.ms * 1000) / requests).padStart(6)} µs/req  ${p.name}`);
    }
  }
} finally {
  await legacy.close();
}

const saveAs = option(argv, '--save');
if (saveAs) writeFileSync(`${OUT}../profile-${saveAs}.json`, JSON.stringify({ commit: machineInfo().commit, measured: measured.map(m => ({ ...m, contender: { id: m.contender.id, label: m.contender.label } })) }));
const compareWith = option(argv, '--compare');
if (compareWith) {
  const earlier = JSON.parse(readFileSync(`${OUT}../profile-${compareWith}.json`, 'utf8')) as { commit: string; measured: Measured[] };
  // Both contenders of that run: CPU per request moves with the machine's load, so each run is read against its own baseline.
  for (const m of [...earlier.measured].reverse()) {
    const at = measured.findIndex(x => x.endpoint === m.endpoint);
    measured.splice(at, 0, { ...m, contender: { id: m.contender.id, label: `${m.contender.label}, ${compareWith} (${earlier.commit})` } });
  }
}

const lines: string[] = [];
lines.push(`Profiled on ${new Date().toISOString()}, ${seconds} s per endpoint and contender at ${connections} connections against the standard IdP,`);
lines.push('sampling every 200 µs. Main-thread CPU per request, by phase (µs; share of the busy time in brackets). The IdP runs in the');
lines.push('same process, so its work (the refresh grant and userinfo answered by oidc-provider) is in these figures.');
for (const endpoint of ['/refresh', '/start']) {
  const rows = measured.filter(m => m.endpoint === endpoint);
  const names = [...new Set(rows.flatMap(m => m.phases.map(p => p.name)))];
  lines.push('', `#### \`${endpoint}\``, '');
  lines.push(`| phase | ${rows.map(m => m.contender.label).join(' | ')} |`);
  lines.push(`|---|${rows.map(() => '---:').join('|')}|`);
  const cell = (m: Measured, name: string) => {
    const p = m.phases.find(x => x.name === name);
    return p ? `${fmt((p.ms * 1000) / m.requests)} (${(p.share * 100).toFixed(0)} %)` : '–';
  };
  const sortKey = (name: string) => -Math.max(...rows.map(m => m.phases.find(x => x.name === name)?.ms ?? 0));
  for (const name of names.sort((a, b) => sortKey(a) - sortKey(b))) lines.push(`| ${name} | ${rows.map(m => cell(m, name)).join(' | ')} |`);
  lines.push(`| **total busy CPU per request** | ${rows.map(m => `**${fmt((m.busyMs * 1000) / m.requests)}**`).join(' | ')} |`);
  lines.push(`| requests in the profiled ${seconds} s | ${rows.map(m => fmt(m.requests)).join(' | ')} |`);
  // Each run's baseline is the built-in provider measured next to it in that run (the next one after it, else the last before it).
  const vsBaseline = rows.map((m, i) => {
    const base = rows.slice(i).find(x => x.contender.id === 'oidc') ?? rows.slice(0, i).reverse().find(x => x.contender.id === 'oidc');
    return m.contender.id === 'oidc' || !base ? '' : `**${((base.busyMs / base.requests) / (m.busyMs / m.requests)).toFixed(2)}x**`;
  });
  lines.push(`| built-in's CPU per request / this one's (same run) | ${vsBaseline.join(' | ')} |`);
}
const block = lines.join('\n');
console.log(`\n${block}`);
if (!argv.includes('--no-write')) {
  const current = readFileSync(BENCHMARKS_MD, 'utf8');
  const begin = current.indexOf(BEGIN);
  const end = current.indexOf(END);
  if (begin < 0 || end < begin) throw new Error('BENCHMARKS.md has no profile markers; add them where the breakdown belongs');
  writeFileSync(BENCHMARKS_MD, `${current.slice(0, begin + BEGIN.length)}\n\n${block}\n\n${current.slice(end)}`);
  console.log('\nBENCHMARKS.md: profile block updated');
}
process.exit(0);
