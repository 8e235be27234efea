// Figure 1: /start and /refresh under concurrency (autocannon), ours against
// the built-in oidc provider, in the same router and against the same IdP.
import autocannon from 'autocannon';
import { LABEL, PROVIDERS, type BenchBackend, type ProviderName } from './backend';
import { signIn, emulatorAuthorize, refresh, type Authorize, type CookieJar } from './flow';
import type { Settings } from './settings';

export interface LoadResult {
  provider: ProviderName;
  /** requests per second that got the expected status */
  okPerSec: number;
  /** all responses per second */
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  expectedStatus: number;
  statusCounts: Record<string, number>;
  errors: number;
}

export interface LoadFigure {
  name: string;
  note?: string;
  results: Record<ProviderName, LoadResult>;
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

async function measure(url: string, headers: Record<string, string>, expectedStatus: number, settings: Settings, provider: ProviderName): Promise<LoadResult> {
  await cannon(url, headers, settings.warmupSeconds, settings.connections); // warm-up, discarded
  const result = await cannon(url, headers, settings.loadSeconds, settings.connections);
  const statusCounts: Record<string, number> = {};
  for (const [status, { count }] of Object.entries(result.statusCodeStats ?? {})) statusCounts[status] = Number(count);
  const total = Object.values(statusCounts).reduce((a, b) => a + b, 0);
  const ok = statusCounts[String(expectedStatus)] ?? 0;
  return {
    provider,
    okPerSec: ok / result.duration,
    reqPerSec: total / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    expectedStatus,
    statusCounts,
    errors: result.errors,
  };
}

/**
 * Runs `rounds` interleaved rounds (ours, baseline, ours, baseline, ...) and
 * keeps each provider's best round: a burst of background load on this shared
 * machine then hurts one round, not one side.
 */
async function interleaved(
  settings: Settings,
  label: string,
  target: (provider: ProviderName) => { url: string; headers: Record<string, string>; expectedStatus: number },
): Promise<Record<ProviderName, LoadResult>> {
  const best = {} as Record<ProviderName, LoadResult>;
  for (let round = 1; round <= settings.rounds; round++) {
    for (const provider of PROVIDERS) {
      const { url, headers, expectedStatus } = target(provider);
      const result = await measure(url, headers, expectedStatus, settings, provider);
      printLoad(`${label} #${round}`, result);
      if (!best[provider] || result.okPerSec > best[provider].okPerSec) best[provider] = result;
    }
  }
  return best;
}

/** GET /start?env=development: builds the authorization URL and sets the nonce cookie. */
export async function startFigure(backend: BenchBackend, settings: Settings): Promise<LoadFigure> {
  const results = await interleaved(settings, '/start', provider => ({
    url: `${backend.authUrl}/${provider}/start?env=development`,
    headers: {},
    expectedStatus: 302,
  }));
  return { name: '/start', results };
}

/**
 * GET /refresh with the cookies of one real sign-in per provider. `expect`
 * says which status each provider is supposed to answer against this IdP.
 */
export async function refreshFigure(
  backend: BenchBackend,
  settings: Settings,
  options: { name: string; note?: string; authorize?: Authorize; expect: Record<ProviderName, number> },
): Promise<LoadFigure> {
  const cookies = {} as Record<ProviderName, string>;
  for (const provider of PROVIDERS) {
    const { jar } = await signIn(backend.authUrl, provider, 'alice@example.com', options.authorize ?? emulatorAuthorize);
    const check = await refresh(backend.authUrl, provider, jar);
    if (check.status !== options.expect[provider]) {
      throw new Error(`${provider} /refresh answered ${check.status} before the load, expected ${options.expect[provider]}: ${JSON.stringify(check.body).slice(0, 200)}`);
    }
    cookies[provider] = cookieHeader(jar);
  }
  const results = await interleaved(settings, options.name, provider => ({
    url: `${backend.authUrl}/${provider}/refresh?env=development`,
    headers: { cookie: cookies[provider], 'x-requested-with': 'XMLHttpRequest' },
    expectedStatus: options.expect[provider],
  }));
  return { name: options.name, note: options.note, results };
}

/** The refresh cookie (and granted-scope cookie) only: what the browser sends to /refresh. */
function cookieHeader(jar: CookieJar): string {
  return jar.header();
}

export function printLoad(name: string, r: LoadResult) {
  const statuses = Object.entries(r.statusCounts).map(([s, c]) => `${s}x${c}`).join(' ');
  console.log(
    `   ${name.padEnd(26)} ${LABEL[r.provider].padEnd(26)} ${r.okPerSec.toFixed(0).padStart(6)} ok/s  p50 ${r.p50Ms.toFixed(1).padStart(6)} ms  p99 ${r.p99Ms.toFixed(1).padStart(6)} ms  [${statuses}${r.errors ? ` errors ${r.errors}` : ''}]`,
  );
}
