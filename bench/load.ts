// Figure 1: /start and /refresh under concurrency (autocannon), every
// contender interleaved over several rounds (A B, B A, A B, ...), each
// reported as the median of its runs with their spread.
import autocannon from 'autocannon';
import type { Contender } from './contenders';
import type { Settings } from './settings';
import { median } from './stats';

export interface LoadRun {
  /** requests per second that got the expected status */
  okPerSec: number;
  /** all responses per second */
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  statusCounts: Record<string, number>;
  errors: number;
}

export interface LoadFigure {
  name: string;
  note?: string;
  expectedStatus: Record<string, number>;
  labels: Record<string, string>;
  /** contender id -> its runs, in the order they ran */
  runs: Record<string, LoadRun[]>;
}

async function cannon(url: string, headers: Record<string, string>, seconds: number, connections: number) {
  return autocannon({
    url,
    headers,
    connections,
    duration: seconds,
    // The load generator runs in its own thread, so the backend keeps the main one.
    workers: 1,
  });
}

async function measure(url: string, headers: Record<string, string>, expectedStatus: number, settings: Settings): Promise<LoadRun> {
  await cannon(url, headers, settings.warmupSeconds, settings.connections); // warm-up, discarded
  const result = await cannon(url, headers, settings.loadSeconds, settings.connections);
  const statusCounts: Record<string, number> = {};
  for (const [status, { count }] of Object.entries(result.statusCodeStats ?? {})) statusCounts[status] = Number(count);
  const total = Object.values(statusCounts).reduce((a, b) => a + b, 0);
  return {
    okPerSec: (statusCounts[String(expectedStatus)] ?? 0) / result.duration,
    reqPerSec: total / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    statusCounts,
    errors: result.errors,
  };
}

/** Round r runs the contenders forwards when r is odd, backwards when even: A B, B A, A B ... */
export function interleavedOrder<T>(items: T[], round: number): T[] {
  return round % 2 === 1 ? items : [...items].reverse();
}

/**
 * One endpoint for every contender. `target` gives the URL and headers of a
 * run; for `/refresh` it signs in afresh, so every run starts from a session
 * as a browser holds it right after sign-in.
 */
export async function loadFigure(
  settings: Settings,
  contenders: Contender[],
  options: {
    name: string;
    note?: string;
    expectedStatus: (contender: Contender) => number;
    target: (contender: Contender) => Promise<{ url: string; headers: Record<string, string> }>;
  },
): Promise<LoadFigure> {
  const figure: LoadFigure = { name: options.name, note: options.note, expectedStatus: {}, labels: {}, runs: {} };
  for (const c of contenders) {
    figure.expectedStatus[c.id] = options.expectedStatus(c);
    figure.labels[c.id] = c.label;
    figure.runs[c.id] = [];
  }
  for (let round = 1; round <= settings.rounds; round++) {
    for (const contender of interleavedOrder(contenders, round)) {
      const { url, headers } = await options.target(contender);
      const run = await measure(url, headers, figure.expectedStatus[contender.id], settings);
      figure.runs[contender.id].push(run);
      printRun(`${options.name} #${round}`, contender.label, run);
    }
  }
  for (const c of contenders) {
    const okPerSec = figure.runs[c.id].map(r => r.okPerSec);
    console.log(`   ${options.name.padEnd(26)} ${c.label.padEnd(28)} median ${median(okPerSec).toFixed(0).padStart(6)} ok/s (${Math.min(...okPerSec).toFixed(0)}-${Math.max(...okPerSec).toFixed(0)})`);
  }
  return figure;
}

/** GET /start?env=development: builds the authorization URL and sets the nonce cookie. */
export function startFigure(settings: Settings, contenders: Contender[], name = '/start'): Promise<LoadFigure> {
  return loadFigure(settings, contenders, {
    name,
    expectedStatus: () => 302,
    target: async c => ({ url: `${c.providerUrl}/start?env=development`, headers: {} }),
  });
}

/** GET /refresh as the app sends it, with the cookies of a fresh sign-in per run. */
export function refreshFigure(
  settings: Settings,
  contenders: Contender[],
  options: { name: string; note?: string; expectedStatus?: Record<string, number> },
): Promise<LoadFigure> {
  return loadFigure(settings, contenders, {
    ...options,
    expectedStatus: c => options.expectedStatus?.[c.id] ?? 200,
    target: async c => ({
      url: `${c.providerUrl}/refresh?env=development`,
      headers: { cookie: await c.signIn(), 'x-requested-with': 'XMLHttpRequest' },
    }),
  });
}

function printRun(name: string, label: string, r: LoadRun) {
  const statuses = Object.entries(r.statusCounts).map(([s, c]) => `${s}x${c}`).join(' ');
  console.log(
    `   ${name.padEnd(26)} ${label.padEnd(28)} ${r.okPerSec.toFixed(0).padStart(6)} ok/s  p50 ${r.p50Ms.toFixed(1).padStart(6)} ms  p99 ${r.p99Ms.toFixed(1).padStart(6)} ms  [${statuses}${r.errors ? ` errors ${r.errors}` : ''}]`,
  );
}
