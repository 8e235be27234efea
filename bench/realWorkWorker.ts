// Runs in a worker thread for bench/realWork.ts: virtual users doing whole
// sign-ins over many distinct users (round-robin), or refreshing a list of
// sessions once each, or a burst of sign-ins all started at once.
import { parentPort, workerData } from 'node:worker_threads';
import { CookieJar, emulatorAuthorize, signIn } from './flow';

/** One browser's cookies for the backend, as [name, value] pairs (transferable between threads). */
export type SessionCookies = Array<[string, string]>;

export type RealWorkJob =
  | { mode: 'signin'; authUrl: string; provider: string; emails: string[]; virtualUsers: number; warmupSeconds: number; seconds: number; first: number; keep: number }
  | { mode: 'refresh'; authUrl: string; provider: string; sessions: SessionCookies[]; virtualUsers: number }
  | { mode: 'burst'; authUrl: string; provider: string; emails: string[]; total: number; first: number };

export interface RealWorkResult {
  completed: number;
  failed: number;
  seconds: number;
  latenciesMs: number[];
  /** signin: the sessions signed in (at most `keep`); refresh: the same sessions with the cookies the refresh set */
  sessions: SessionCookies[];
  /** where the round-robin over the users stopped (signin, burst) */
  next: number;
  firstError?: string;
}

const toJar = (cookies: SessionCookies) => {
  const jar = new CookieJar();
  for (const [name, value] of cookies) jar.values.set(name, value);
  return jar;
};

async function signIns(job: Extract<RealWorkJob, { mode: 'signin' }>, seconds: number, record: boolean, first: number): Promise<RealWorkResult> {
  const result: RealWorkResult = { completed: 0, failed: 0, seconds, latenciesMs: [], sessions: [], next: first };
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: job.virtualUsers }, async () => {
      while (performance.now() < deadline) {
        // Round-robin over the users: every sign-in is another person than the one before.
        const email = job.emails[result.next++ % job.emails.length];
        const t0 = performance.now();
        try {
          const { jar } = await signIn(job.authUrl, job.provider as never, email, emulatorAuthorize, new CookieJar());
          result.completed += 1;
          if (record) {
            result.latenciesMs.push(performance.now() - t0);
            if (result.sessions.length < job.keep) result.sessions.push([...jar.values]);
          }
        } catch (error) {
          result.failed += 1;
          result.firstError ??= (error as Error).message.slice(0, 200);
        }
      }
    }),
  );
  result.seconds = (performance.now() - started) / 1000;
  return result;
}

/** GET /refresh as the app does it, keeping the cookies it sets (a refresh may reseal the session cookie). */
async function refreshKeepingCookies(job: { authUrl: string; provider: string }, jar: CookieJar): Promise<boolean> {
  const response = await fetch(`${job.authUrl}/${job.provider}/refresh?env=development`, { headers: { cookie: jar.header(), 'x-requested-with': 'XMLHttpRequest' } });
  jar.updateFrom(response);
  const text = await response.text();
  if (response.status !== 200) throw new Error(`/refresh answered ${response.status}`);
  return text.includes('"backstageIdentity"');
}

/** Half a second of cookie-less /refresh calls (401 at once): the worker's HTTP client warmed up before the timed phase. */
async function warmUp(job: { authUrl: string; provider: string }, virtualUsers: number): Promise<void> {
  const until = performance.now() + 500;
  await Promise.all(
    Array.from({ length: virtualUsers }, async () => {
      while (performance.now() < until) await (await fetch(`${job.authUrl}/${job.provider}/refresh?env=development`, { headers: { 'x-requested-with': 'XMLHttpRequest' } })).arrayBuffer();
    }),
  );
}

async function refreshes(job: Extract<RealWorkJob, { mode: 'refresh' }>): Promise<RealWorkResult> {
  await warmUp(job, job.virtualUsers);
  const result: RealWorkResult = { completed: 0, failed: 0, seconds: 0, latenciesMs: [], sessions: [], next: 0 };
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: job.virtualUsers }, async () => {
      while (next < job.sessions.length) {
        const at = next++;
        const jar = toJar(job.sessions[at]);
        const t0 = performance.now();
        try {
          if (!(await refreshKeepingCookies(job, jar))) throw new Error('/refresh answered 200 without a Backstage identity');
          result.completed += 1;
          result.latenciesMs.push(performance.now() - t0);
        } catch (error) {
          result.failed += 1;
          result.firstError ??= (error as Error).message.slice(0, 200);
        }
        result.sessions[at] = [...jar.values];
      }
    }),
  );
  result.seconds = (performance.now() - started) / 1000;
  return result;
}

async function burst(job: Extract<RealWorkJob, { mode: 'burst' }>): Promise<RealWorkResult> {
  const result: RealWorkResult = { completed: 0, failed: 0, seconds: 0, latenciesMs: [], sessions: [], next: job.first };
  const started = performance.now();
  await Promise.all(
    Array.from({ length: job.total }, async () => {
      const email = job.emails[result.next++ % job.emails.length];
      const t0 = performance.now();
      try {
        await signIn(job.authUrl, job.provider as never, email, emulatorAuthorize, new CookieJar());
        result.completed += 1;
        result.latenciesMs.push(performance.now() - t0);
      } catch (error) {
        result.failed += 1;
        result.firstError ??= (error as Error).message.slice(0, 200);
      }
    }),
  );
  result.seconds = (performance.now() - started) / 1000;
  return result;
}

const job = workerData as RealWorkJob;
if (job.mode === 'signin') {
  const warm = await signIns(job, job.warmupSeconds, false, job.first);
  parentPort!.postMessage(await signIns(job, job.seconds, true, warm.next));
} else if (job.mode === 'refresh') {
  parentPort!.postMessage(await refreshes(job));
} else {
  parentPort!.postMessage(await burst(job));
}
