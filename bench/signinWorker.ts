// Runs in a worker thread: N virtual users, each doing whole sign-ins (start,
// authorize at the emulator, handler/frame) with its own cookies, for a fixed time.
import { parentPort, workerData } from 'node:worker_threads';
import type { ProviderName } from './backend';
import { CookieJar, emulatorAuthorize, signIn } from './flow';

interface Job {
  authUrl: string;
  provider: ProviderName;
  emails: string[];
  virtualUsers: number;
  warmupSeconds: number;
  seconds: number;
  /** instead of a timed loop: exactly `total` sign-ins, at most `inFlight` at a time */
  burst?: { total: number; inFlight: number };
}

export interface SignInLoadResult {
  completed: number;
  failed: number;
  seconds: number;
  latenciesMs: number[];
  firstError?: string;
}

async function run(job: Job, seconds: number, record: boolean): Promise<SignInLoadResult> {
  const deadline = performance.now() + seconds * 1000;
  const result: SignInLoadResult = { completed: 0, failed: 0, seconds, latenciesMs: [] };
  const started = performance.now();
  await Promise.all(
    Array.from({ length: job.virtualUsers }, async (_, vu) => {
      const email = job.emails[vu % job.emails.length];
      while (performance.now() < deadline) {
        const t0 = performance.now();
        try {
          // A fresh browser per sign-in: nothing carried over from the previous one.
          await signIn(job.authUrl, job.provider, email, emulatorAuthorize, new CookieJar());
          result.completed += 1;
          if (record) result.latenciesMs.push(performance.now() - t0);
        } catch (error) {
          result.failed += 1;
          result.firstError ??= (error as Error).message;
        }
      }
    }),
  );
  result.seconds = (performance.now() - started) / 1000;
  return result;
}

/** Exactly `total` sign-ins, `inFlight` started at once and each finished one replaced, until all are done. */
async function burst(job: Job, total: number, inFlight: number): Promise<SignInLoadResult> {
  const result: SignInLoadResult = { completed: 0, failed: 0, seconds: 0, latenciesMs: [] };
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(inFlight, total) }, async () => {
      while (next < total) {
        const email = job.emails[next++ % job.emails.length];
        const t0 = performance.now();
        try {
          await signIn(job.authUrl, job.provider, email, emulatorAuthorize, new CookieJar());
          result.completed += 1;
          result.latenciesMs.push(performance.now() - t0);
        } catch (error) {
          result.failed += 1;
          result.firstError ??= (error as Error).message;
        }
      }
    }),
  );
  result.seconds = (performance.now() - started) / 1000;
  return result;
}

const job = workerData as Job;
if (job.burst) {
  parentPort!.postMessage(await burst(job, job.burst.total, job.burst.inFlight));
} else {
  await run(job, job.warmupSeconds, false);
  parentPort!.postMessage(await run(job, job.seconds, true));
}
