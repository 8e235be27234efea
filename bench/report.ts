// Turns one bench run into the console ratio table and BENCHMARKS.md.
import { execSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { LABEL, PROVIDERS, type ProviderName } from './backend';
import type { SizeRow } from './frontendSize';
import { BASELINE_ID, OURS_OWN_ROUTER_ID } from './contenders';
import type { LoadFigure } from './load';
import type { Settings } from './settings';
import type { SignInBurstResult, SignInFigureResult } from './signins';
import { fmt, median, ratio } from './stats';
import type { MemoryStoreFigure, RedisStoreFigure, SessionCacheFigure, StoreMemoryFigure } from './stores';
import type { VerifyFigure } from './verify';

export interface Machine {
  cores: number;
  cpu: string;
  node: string;
  os: string;
  commit: string;
}

export interface BenchResults {
  settings: Settings;
  machine: Machine;
  startedAt: string;
  durationSeconds?: number;
  load: LoadFigure[];
  signIns?: Record<ProviderName, SignInFigureResult>;
  signInBursts?: SignInBurstResult[];
  verify?: VerifyFigure;
  memory?: MemoryStoreFigure;
  sessionCache?: SessionCacheFigure;
  /** memory per signed-in user in the shared stores */
  storeMemory?: StoreMemoryFigure;
  redis?: RedisStoreFigure | { skipped: string };
  frontend?: SizeRow[];
  /** figures that could not run, with the reason */
  skipped?: string[];
}

const BENCHMARKS_MD = fileURLToPath(new URL('../BENCHMARKS.md', import.meta.url));
// The run writes its figures between these markers; the prose around them is written by hand in BENCHMARKS.md.
const FIGURES_BEGIN = '<!-- figures: written by `pnpm bench` from here to the end marker; edit the prose outside them -->';
const FIGURES_END = '<!-- end of figures -->';

function withFigures(current: string, figures: string): string {
  const begin = current.indexOf(FIGURES_BEGIN);
  const end = current.indexOf(FIGURES_END);
  if (begin < 0 || end < begin) throw new Error('BENCHMARKS.md has lost its figure markers; restore them from git');
  const tidy = figures.replace(/\n{3,}/g, '\n\n').trim();
  return `${current.slice(0, begin + FIGURES_BEGIN.length)}\n\n${tidy}\n\n${current.slice(end)}`;
}

// Targets the package set itself.
const VERIFY_TARGET = 0.8; // issue 27: at least 0.8x of bare crypto.verify
const MEMORY_RATIO_TARGET = 1.3; // memory store at 1M users: V8 heap per user over the raw token + key bytes

export function machineInfo(): Machine {
  let cpu = cpus()[0]?.model ?? 'unknown';
  try {
    cpu = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpu;
  } catch {
    // not Linux: keep os.cpus()
  }
  let commit = 'unknown';
  try {
    commit = execSync('git rev-parse --short HEAD', { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    const dirty = execSync('git status --porcelain -- src', { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    if (dirty) commit += ' (src/ modified)';
  } catch {
    // not a git checkout
  }
  let cores = cpus().length;
  try {
    cores = Number(execSync('nproc', { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim()) || cores;
  } catch {
    // keep os.cpus()
  }
  return { cores, cpu, node: process.version, os: `${process.platform} ${process.arch}`, commit };
}

function met(ok: boolean): string {
  return ok ? 'met' : '**missed**';
}

export function writeReport(r: BenchResults, options: { write: boolean }): { summary: string } {
  const s = r.settings;
  const lines: string[] = [];
  const summary: string[] = [];
  const out = (line = '') => lines.push(line);

  out('## Latest run');
  out();
  out(`- When: ${r.startedAt} (took ${fmt(r.durationSeconds ?? NaN)} s)`);
  out(`- Machine: ${r.machine.cores} cores (nproc), ${r.machine.cpu}, ${r.machine.os}, Node ${r.machine.node}`);
  out(`- Commit: ${r.machine.commit}`);
  out(`- Settings: autocannon ${s.connections} connections, ${s.rounds} interleaved rounds of ${s.warmupSeconds} s warm-up + ${s.loadSeconds} s per contender, load generator in a worker thread;`);
  out(`  whole sign-ins ${s.virtualUsers} virtual users × ${s.signInSeconds} s (after ${s.warmupSeconds} s warm-up) in a worker thread, ${s.signInRounds} interleaved rounds (A B, B A, ...), the median of each side's rounds.`);
  out();

  // 1. load
  const previous = readPrevious(r);
  out('## 1. `/start` and `/refresh` under load: one session, 20 connections');
  out();
  out('**What this measures**: `/refresh` here is **one signed-in session replayed by 20 connections** (an app open in many tabs);');
  out("for ours that is mostly the 60 s reuse of the session's last grant (no IdP call). It is not the work a deployment does:");
  out('figure 0 (many users, one real grant per session) is. `/start` is the first request of a sign-in only.');
  out();
  out(`Each row: the median of ${s.rounds} runs (${s.warmupSeconds} s warm-up + ${s.loadSeconds} s each, ${s.connections} connections), the contenders`);
  out('interleaved (A B, B A, A B, ...); spread = slowest and fastest run; per-round ratio = ours / baseline within one round.');
  if (previous) out(`Previous run: ${previous.when}, commit ${previous.commit} (the figures this run replaced).`);
  out();
  out('| endpoint | contender | median ok req/s | spread (min-max) | p50 / p99 ms (medians) | statuses (all runs) | median / baseline | per-round ratio (min-max) | previous run: median (ratio) |');
  out('|---|---|---:|---:|---:|---|---:|---:|---:|');
  for (const figure of r.load) {
    for (const row of loadRows(figure)) {
      const before = previous?.load[figure.name]?.[row.id];
      const was = before ? `${fmt(before.median)} (${before.ratio ?? '–'})` : '–';
      const statuses = Object.entries(row.statusCounts).map(([k, v]) => `${k}: ${v}`).join(', ') + (row.errors ? `, errors: ${row.errors}` : '');
      out(`| ${figure.name} | ${row.label} | **${fmt(row.median)}** | ${fmt(row.min)}-${fmt(row.max)} | ${fmt(row.p50, 1)} / ${fmt(row.p99, 1)} | ${statuses} | ${row.ratio ? `**${row.ratio}**` : ''} | ${row.roundRatios ?? ''} | ${was} |`);
    }
  }
  out();
  for (const figure of r.load) if (figure.note) out(`- ${figure.name}: ${figure.note}`);
  for (const reason of r.skipped ?? []) out(`- Not measured in this run: ${reason}`);
  const mainFigures = r.load.filter(f => f.name === '/start' || f.name === '/refresh');
  const ownRouter = mainFigures.some(f => f.runs[OURS_OWN_ROUTER_ID]);
  if (ownRouter) {
    out('- Deployments: each contender as its docs require. Ours alone in a legacy router without `auth.session.secret` (it keeps no');
    out('  server-side session); the built-in oidc provider in a legacy router with it (its OAuth state lives in express-session, in');
    out("  the auth database), a router that also holds ours: the row \"in the built-in's router\" is the one-router setup of earlier");
    out('  runs, where ours pays express-session and its database on every request too. Same router version (0.24.5), same kind of');
    out('  IdP (one oidc-provider instance per backend, configured alike), same request; the new-system module sets no session secret.');
  }
  out(`- Target: ours${ownRouter ? ' (own legacy router)' : ''} at least ${LOAD_TARGET}x the baseline's median on \`/start\` and \`/refresh\`: ${mainFigures
    .map(f => {
      const ours = targetRow(loadRows(f));
      return `${f.name} ${ours?.ratio ?? 'n/a'} ${met(ours?.ratioValue !== undefined && ours.ratioValue >= LOAD_TARGET)}`;
    })
    .join(', ')}${ownRouter ? `; in the built-in's router: ${mainFigures.map(f => `${f.name} ${loadRows(f).find(x => x.id === 'spectrocloud')?.ratio ?? 'n/a'}`).join(', ')}` : ''}.`);
  out();
  summary.push(...loadSummary(r.load));

  // 2. sign-ins
  if (r.signIns) {
    const ours = r.signIns.spectrocloud;
    const base = r.signIns.oidc;
    out('## 2. Whole sign-ins');
    out();
    out(`Each of ${s.virtualUsers} virtual users loops start → emulator authorize (\`login_hint\`, auto-approve) → handler/frame with`);
    out('a fresh cookie jar per sign-in, for a fixed time, against the SpectroCloud emulator (same process), two users only.');
    out(`Medians of ${s.signInRounds} interleaved rounds (A B, B A, ...; before 2026-12-07 the best of 2 was kept); figure 0 measures whole sign-ins over 1,000 users per backend.`);
    out();
    out('| provider | sign-ins/s (median) | spread (min-max) | p50 ms | p99 ms | completed | failed | IdP requests, all rounds, warm-up included (token / JWKS / discovery) |');
    out('|---|---:|---:|---:|---:|---:|---:|---|');
    for (const p of PROVIDERS) {
      const x = r.signIns[p];
      const idp = x.idpRequests ? `${x.idpRequests.token} / ${x.idpRequests.jwks} / ${x.idpRequests.discovery}` : 'n/a';
      const spreadCell = x.rounds?.length ? `${fmt(Math.min(...x.rounds), 1)}-${fmt(Math.max(...x.rounds), 1)}` : '–';
      out(`| ${LABEL[p]} | ${fmt(x.perSec, 1)} | ${spreadCell} | ${fmt(x.p50Ms, 1)} | ${fmt(x.p99Ms, 1)} | ${x.completed} | ${x.failed}${x.firstError ? ` (${x.firstError})` : ''} | ${idp} |`);
    }
    out();
    const rr = ours.roundRatios ?? [];
    out(`Ratio ours / baseline: **${ratio(ours.perSec, base.perSec)}** sign-ins per second (medians)${rr.length ? `; per round ${rr.map(v => `${v.toFixed(2)}x`).join(', ')}` : ''}.`);
    out();
    summary.push(`${'whole sign-ins'.padEnd(26)} ours ${fmt(ours.perSec, 1).padStart(6)}/s vs baseline ${fmt(base.perSec, 1).padStart(6)}/s  = ${ratio(ours.perSec, base.perSec)}`);
  }

  // 2b. bursts
  if (r.signInBursts?.length) {
    out('## 2b. Sign-in bursts');
    out();
    out('| burst | provider | completed | failed | wall s | p50 ms | p99 ms |');
    out('|---|---|---:|---:|---:|---:|---:|');
    for (const x of r.signInBursts) {
      out(`| ${fmt(x.total)} sign-ins, ${x.inFlight} in flight | ${LABEL[x.provider]} | ${x.completed} | ${x.failed}${x.firstError ? ` (${x.firstError})` : ''} | ${fmt(x.seconds, 1)} | ${fmt(x.p50Ms, 1)} | ${fmt(x.p99Ms, 1)} |`);
    }
    out();
    for (const x of r.signInBursts) {
      summary.push(`${`${x.total}/${x.inFlight} burst`.padEnd(26)} ${x.provider === 'spectrocloud' ? 'ours    ' : 'baseline'} ${x.failed} failed, p50 ${fmt(x.p50Ms, 0)} ms, p99 ${fmt(x.p99Ms, 0)} ms`);
    }
  }

  // 3. verify
  if (r.verify) {
    const v = r.verify;
    const share = v.oursPerSec / v.barePerSec;
    out('## 3. ID-token verification');
    out();
    out('| verification | per second | µs each |');
    out('|---|---:|---:|');
    for (const row of v.rows) out(`| ${row.name.trim()} | ${fmt(row.opsPerSec)} | ${fmt(row.usPerOp, 1)} |`);
    out();
    out(`Ours / bare crypto.verify: **${ratio(v.oursPerSec, v.barePerSec)}** (target ≥ ${VERIFY_TARGET.toFixed(2)}x, i.e. within 20%): ${met(share >= VERIFY_TARGET)}.`);
    out();
    out(`JWKS fetches: ${v.jwks.verifications.toLocaleString('en-US')} verifications (${v.jwks.concurrency} at a time from a cold cache, the emulator's`);
    out(`key rotated half-way with the old key still published) caused **${v.jwks.fetches}** JWKS request(s) for ${v.jwks.keySets} key sets`);
    out(`(target: one per key set): ${met(v.jwks.fetches <= v.jwks.keySets)}${v.jwks.failures ? `; ${v.jwks.failures} verifications failed, first: ${v.jwks.firstFailure}` : ''}.`);
    out();
    summary.push(`${'ID-token verify'.padEnd(26)} ours ${fmt(v.oursPerSec).padStart(6)}/s vs bare crypto.verify ${fmt(v.barePerSec)}/s = ${ratio(v.oursPerSec, v.barePerSec)} (target >= ${VERIFY_TARGET}x: ${share >= VERIFY_TARGET ? 'met' : 'MISSED'})`);
    summary.push(`${'JWKS fetches'.padEnd(26)} ${v.jwks.fetches} for ${v.jwks.verifications} verifications over ${v.jwks.keySets} key sets (target 1 per key set: ${v.jwks.fetches <= v.jwks.keySets ? 'met' : 'MISSED'})`);
    if (share < VERIFY_TARGET) {
      out('Why it is missed, and what was cut: "Why the verification target is missed" under "Reading the figures" below.');
      out();
    }
  }

  // 4. stores
  storeSection(r, out, summary);

  // 5. frontend
  if (r.frontend) {
    out('## 5. Frontend subpath size');
    out();
    out('| bundle | gzipped bytes | minified bytes | notes |');
    out('|---|---:|---:|---|');
    for (const row of r.frontend) {
      const notes = row.error ? `not measured: ${row.error}` : row.otherExternal?.length ? `its own dependencies left out (lower bound): ${row.otherExternal.join(', ')}` : '';
      out(`| ${row.name} | ${row.gzipBytes ?? '–'} | ${row.rawBytes ?? '–'} | ${notes} |`);
      summary.push(`${'frontend size'.padEnd(26)} ${row.name}: ${row.error ? `not measured (${row.error})` : `${row.gzipBytes} B gzipped`}`);
    }
    out();
  }

  out(dataComment(r));
  if (options.write) writeFileSync(BENCHMARKS_MD, withFigures(readFileSync(BENCHMARKS_MD, 'utf8'), lines.join('\n')));
  return { summary: summary.join('\n') };
}

const LOAD_TARGET = 1.5;

interface LoadRow {
  id: string;
  label: string;
  median: number;
  min: number;
  max: number;
  p50: number;
  p99: number;
  statusCounts: Record<string, number>;
  errors: number;
  /** median over the baseline's median, printed; undefined for the baseline itself */
  ratio?: string;
  ratioValue?: number;
  roundRatios?: string;
}

/** One row per contender: medians, spread and ratios against the baseline. */
export function loadRows(figure: LoadFigure): LoadRow[] {
  const base = figure.runs[BASELINE_ID];
  const baseMedian = base ? median(base.map(x => x.okPerSec)) : NaN;
  return Object.entries(figure.runs).map(([id, runs]) => {
    const ok = runs.map(x => x.okPerSec);
    const statusCounts: Record<string, number> = {};
    for (const run of runs) for (const [k, v] of Object.entries(run.statusCounts)) statusCounts[k] = (statusCounts[k] ?? 0) + v;
    const row: LoadRow = {
      id,
      label: figure.labels[id] ?? id,
      median: median(ok),
      min: Math.min(...ok),
      max: Math.max(...ok),
      p50: median(runs.map(x => x.p50Ms)),
      p99: median(runs.map(x => x.p99Ms)),
      statusCounts,
      errors: runs.reduce((a, x) => a + x.errors, 0),
    };
    if (id !== BASELINE_ID && base) {
      row.ratioValue = row.median / baseMedian;
      row.ratio = ratio(row.median, baseMedian);
      const perRound = runs.map((x, i) => x.okPerSec / (base[i]?.okPerSec ?? NaN)).filter(Number.isFinite);
      if (perRound.length) row.roundRatios = `${Math.min(...perRound).toFixed(2)}x-${Math.max(...perRound).toFixed(2)}x`;
    }
    return row;
  });
}

/** The row the target is read on: ours as its docs deploy it (own router) when measured, else ours in the shared router (earlier runs). */
function targetRow(rows: LoadRow[]): LoadRow | undefined {
  return rows.find(x => x.id === OURS_OWN_ROUTER_ID) ?? rows.find(x => x.id === 'spectrocloud');
}

export function loadSummary(load: LoadFigure[]): string[] {
  return load.map(figure => {
    const rows = loadRows(figure);
    const text = rows.map(x => `${x.id} ${fmt(x.median)}/s (${fmt(x.min)}-${fmt(x.max)})`).join(' vs ');
    const ours = targetRow(rows);
    return `${figure.name.padEnd(26)} medians ${text}  = ${ours?.ratio ?? 'n/a'}${ours?.roundRatios ? ` (rounds ${ours.roundRatios})` : ''}`;
  });
}

// The load medians of a run travel in BENCHMARKS.md itself, so the next run can show them beside its own.
const DATA_PREFIX = '<!-- bench-data: ';

interface PreviousRun {
  when: string;
  commit: string;
  load: Record<string, Record<string, { median: number; ratio?: string }>>;
  /** the run before this one, so that re-rendering (--report-only) keeps showing it */
  previous?: Omit<PreviousRun, 'previous'>;
}

function dataComment(r: BenchResults): string {
  const load: PreviousRun['load'] = {};
  for (const figure of r.load) {
    load[figure.name] = Object.fromEntries(loadRows(figure).map(x => [x.id, { median: Math.round(x.median), ...(x.ratio ? { ratio: x.ratio } : {}) }]));
  }
  const before = readPrevious(r);
  const data: PreviousRun = { when: r.startedAt, commit: r.machine.commit, load, ...(before ? { previous: { when: before.when, commit: before.commit, load: before.load } } : {}) };
  return `${DATA_PREFIX}${JSON.stringify(data)} -->`;
}

/** The run before `r`: the one whose figures BENCHMARKS.md holds, or, when that is `r` itself (re-rendering), the one it replaced. */
function readPrevious(r: BenchResults): PreviousRun | undefined {
  let text: string;
  try {
    text = readFileSync(BENCHMARKS_MD, 'utf8');
  } catch {
    return undefined;
  }
  const at = text.indexOf(DATA_PREFIX);
  if (at < 0) return undefined;
  const end = text.indexOf(' -->', at);
  try {
    const data = JSON.parse(text.slice(at + DATA_PREFIX.length, end)) as PreviousRun;
    return data.when === r.startedAt ? data.previous : data;
  } catch {
    return undefined;
  }
}

const IN_FLIGHT_NOTE = '32 in flight';

/** Section 4, also rendered alone by `pnpm bench --only stores`. */
export function storeSection(r: BenchResults, out: (line?: string) => void, summary: string[]): void {
  out('## 4. Palette-token stores');
  out();
  if (r.memory) {
    const m = r.memory;
    const atMillion = m.users >= 1_000_000;
    const ratio = m.bytesPerEntry / m.rawBytesPerUser;
    out(`${m.users.toLocaleString('en-US')} distinct users, ${m.tokenLength}-character HS256 Palette tokens (the emulator's shape) and ${m.keyLength}-character`);
    out('keys, every key and token a separate flat string as they arrive from requests; `maxEntries` raised to hold them all');
    out('(the default, 10,000, keeps only the most recent 10,000 users). Memory read after a forced GC' + (m.gcForced ? '.' : ' (**not forced**: --expose-gc was unavailable).'));
    out(`The raw data is the token and the key themselves: ${m.tokenLength} + ${m.keyLength} = ${m.rawBytesPerUser} bytes per user.`);
    out();
    out('| store | set/s | get/s | RSS delta | V8 heap delta | bytes per user | x raw data |');
    out('|---|---:|---:|---:|---:|---:|---:|');
    out(`| \`MemoryStore\` | ${fmt(m.setPerSec)} | ${fmt(m.getPerSec)} | +${fmt(m.rssDeltaMb)} MB | +${fmt(m.heapDeltaMb)} MB | **${fmt(m.bytesPerEntry)}** | **${fmt(ratio, 2)}** |`);
    out();
    out(`Target: within ${MEMORY_RATIO_TARGET}x the raw data per user at 1M users (V8 heap): ${atMillion ? met(ratio <= MEMORY_RATIO_TARGET) : 'not measured at 1M in this run (--quick)'}.`);
    out('Each entry is one packed one-byte string (`src/ttlStore/packedEntry.ts`): the expiry in 6 bytes and the token with');
    out('its header as a one-byte index into a small per-store table, payload and signature as raw bytes (3/4 of their base64url');
    out('text); a value that does not re-encode exactly is kept as text, so `get` always returns what was stored. No object and no');
    out('boxed number per entry: what is left above the data is the key\'s string header and the `Map` slot.');
    out('RSS counts the pages V8 keeps committed, so it runs above the live heap and varies between runs by tens of MB.');
    out();
    summary.push(`${'memory store'.padEnd(26)} ${m.users.toLocaleString('en-US')} users: set ${fmt(m.setPerSec)}/s, get ${fmt(m.getPerSec)}/s, ${fmt(m.bytesPerEntry)} B/user = ${fmt(ratio, 2)}x raw (target <= ${MEMORY_RATIO_TARGET}x: ${atMillion ? (ratio <= MEMORY_RATIO_TARGET ? 'met' : 'MISSED') : 'n/a'})`);
    if (r.sessionCache) {
      const c = r.sessionCache;
      const cacheRatio = c.bytesPerUser / c.rawBytesPerUser;
      out(`As the provider uses it (\`PaletteTokenCache\` over \`MemoryStore\`, wired as \`createPaletteTokenCache\` does): one entry per user`);
      out('under `ref:<entity ref>` (`user:default/` written as `~`) holding `<token> <expiry> <e-mail>` (the expiry left out when it is');
      out('the token\'s own), and a pointer under a 72-bit hash of the e-mail holding the entity ref, in an index of the same bound (so');
      out(`\`maxEntries\` counts users); \`remember()\` writes both without reading first; keys are flat strings. Raw data here: token,`);
      out(`entity ref and e-mail, ${c.rawBytesPerUser} bytes per user; measured after \`forUser\` has read every user once (a read marks its`);
      out('entry in place for the second-chance eviction, so it leaves no hole in V8\'s hash table).');
      out();
      out('| users | remember/s | forUser/s | RSS delta | V8 heap delta | bytes per user | x raw data |');
      out('|---:|---:|---:|---:|---:|---:|---:|');
      out(`| ${c.users.toLocaleString('en-US')} | ${fmt(c.rememberPerSec)} | ${fmt(c.forUserPerSec)} | +${fmt(c.rssDeltaMb)} MB | +${fmt(c.heapDeltaMb)} MB | **${fmt(c.bytesPerUser)}** | **${fmt(cacheRatio, 2)}** |`);
      out();
      const cacheAtMillion = c.users >= 1_000_000;
      out(`Target: the Palette-token cache within ${MEMORY_RATIO_TARGET}x its raw data per user at 1M users (V8 heap): ${cacheAtMillion ? met(cacheRatio <= MEMORY_RATIO_TARGET) : 'not measured at 1M in this run (--quick)'}.`);
      out();
      summary.push(`${'Palette-token cache (memory)'.padEnd(26)} ${c.users.toLocaleString('en-US')} users: remember ${fmt(c.rememberPerSec)}/s, ${fmt(c.bytesPerUser)} B/user = ${fmt(cacheRatio, 2)}x raw (target <= ${MEMORY_RATIO_TARGET}x: ${cacheAtMillion ? (cacheRatio <= MEMORY_RATIO_TARGET ? 'met' : 'MISSED') : 'n/a'})`);
    }
  }
  if (r.storeMemory) {
    const m = r.storeMemory;
    out(`Memory per signed-in user in the shared stores, as \`createPaletteTokenCache\` wires each from \`tokenStore\` (an entry and an`);
    out(`e-mail pointer per user, written ${m.users.toLocaleString('en-US')} times with ${IN_FLIGHT_NOTE}), read where the store keeps it; raw data ${m.rawBytesPerUser} bytes per user as above:`);
    out();
    out('| store (`tokenStore`) | bytes per user | x raw data | measured as |');
    out('|---|---:|---:|---|');
    if (r.sessionCache) out(`| memory (the default) | ${fmt(r.sessionCache.bytesPerUser)} | ${fmt(r.sessionCache.bytesPerUser / r.sessionCache.rawBytesPerUser, 2)} | V8 heap, at ${r.sessionCache.users.toLocaleString('en-US')} users (above) |`);
    for (const s of m.stores) {
      if ('skipped' in s) out(`| ${s.store} | not measured (${s.skipped}) | | |`);
      else out(`| ${s.store} | ${fmt(s.bytesPerUser)} | ${fmt(s.bytesPerUser / m.rawBytesPerUser, 2)} | ${s.where} |`);
    }
    out();
    out('Encryption (AES-256-GCM, `encryptionKey`) adds its nonce, tag and base64 to each value; Redis adds its per-key overhead');
    out('and the expiry; the Backstage cache (Keyv in memory) keeps a JSON envelope per key.');
    out();
    for (const s of m.stores) if (!('skipped' in s)) summary.push(`${s.store.padEnd(26)} ${fmt(s.bytesPerUser)} B/user (${s.where})`);
  }
  if (r.redis && 'skipped' in r.redis) {
    out(`RedisStore: not measured in this run (${r.redis.skipped}).`);
    out();
  } else if (r.redis) {
    const x = r.redis;
    out(`RedisStore against a real \`redis-server\` on loopback (started by \`test/support/redisServer.ts\`), ${x.ops.toLocaleString('en-US')} sequential`);
    out('operations each (one in flight), keys hashed with SHA-256 as the store does:');
    out();
    out('| operation | p50 ms | p99 ms | per second |');
    out('|---|---:|---:|---:|');
    out(`| set | ${fmt(x.set.p50Ms, 3)} | ${fmt(x.set.p99Ms, 3)} | ${fmt(x.set.perSec)} |`);
    out(`| get | ${fmt(x.get.p50Ms, 3)} | ${fmt(x.get.p99Ms, 3)} | ${fmt(x.get.perSec)} |`);
    out();
    out(`Standalone vs a 3-master Redis Cluster (\`test/support/redisCluster.ts\`, keys spread over all slots), ${x.concurrency} operations in flight:`);
    out();
    out('| topology | get/s | set/s |');
    out('|---|---:|---:|');
    out(`| standalone | ${fmt(x.concurrentGetPerSec)} | ${x.concurrentSetPerSec === undefined ? '–' : fmt(x.concurrentSetPerSec)} |`);
    if (x.cluster && 'skipped' in x.cluster) out(`| cluster | not measured (${x.cluster.skipped}) | |`);
    else if (x.cluster) out(`| cluster, ${x.cluster.masters} masters | ${fmt(x.cluster.concurrentGetPerSec)} | ${fmt(x.cluster.concurrentSetPerSec)} |`);
    out();
    summary.push(`${'redis store'.padEnd(26)} set p99 ${fmt(x.set.p99Ms, 3)} ms, get p99 ${fmt(x.get.p99Ms, 3)} ms, ${fmt(x.concurrentGetPerSec)} get/s at ${x.concurrency} in flight`);
    if (x.cluster && !('skipped' in x.cluster)) {
      summary.push(`${'redis cluster store'.padEnd(26)} ${fmt(x.cluster.concurrentGetPerSec)} get/s, ${fmt(x.cluster.concurrentSetPerSec)} set/s at ${x.concurrency} in flight (${x.cluster.masters} masters)`);
    }
  }
}

/** Replaces section 4 of BENCHMARKS.md with a fresh one, leaving the other sections as the last full run wrote them. */
export function spliceStoreSection(r: BenchResults, options: { write: boolean }): { summary: string } {
  const lines: string[] = [];
  const summary: string[] = [];
  storeSection(r, (line = '') => lines.push(line), summary);
  const load = loadavg()[0]!.toFixed(1);
  const note =
    `Section 4 re-measured alone (\`pnpm bench --only stores\`) on ${r.startedAt}, commit ${r.machine.commit}, ${r.machine.cores} cores, Node ${r.machine.node}, ` +
    `load average ${load} at the end: the per-second columns move with the machine's load, the bytes-per-user columns do not.`;
  const section = ['## 4. Palette-token stores', '', note, '', ...lines.slice(2)].join('\n');
  const current = readFileSync(BENCHMARKS_MD, 'utf8');
  // The header's name before issue 25's vocabulary, in a BENCHMARKS.md the full run has not rewritten since.
  const start = [current.indexOf('## 4. Palette-token stores'), current.indexOf('## 4. Session-token stores')].find(at => at >= 0) ?? -1;
  const end = current.indexOf('\n## 5.', start);
  if (start < 0 || end < 0) throw new Error('BENCHMARKS.md has no section 4 to replace; run the full bench instead');
  if (options.write) writeFileSync(BENCHMARKS_MD, `${current.slice(0, start)}${section}\n${current.slice(end)}`);
  return { summary: summary.join('\n') };
}
