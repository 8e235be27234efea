/** Durations and sizes of one bench run; `--quick` shrinks them for a smoke run. */
export interface Settings {
  quick: boolean;
  /** autocannon: seconds of discarded warm-up, then seconds measured, per provider and figure */
  warmupSeconds: number;
  loadSeconds: number;
  connections: number;
  /** interleaved rounds per figure (ours, baseline, ours, baseline...); each side's best round is kept */
  rounds: number;
  /** whole sign-ins: virtual users and seconds per provider (after a warm-up) */
  virtualUsers: number;
  signInSeconds: number;
  /** ID-token verification: seconds per side */
  verifySeconds: number;
  /** verifications counted for JWKS fetches */
  jwksVerifications: number;
  /** distinct users in the memory store */
  memoryUsers: number;
  /** sequential operations per Redis measurement */
  redisOps: number;
  /** sign-in bursts: `total` whole sign-ins with at most `inFlight` at once */
  bursts: Array<{ total: number; inFlight: number }>;
}

export function readSettings(argv: string[]): Settings {
  const quick = argv.includes('--quick');
  return quick
    ? { quick, warmupSeconds: 1, loadSeconds: 1, connections: 32, rounds: 1, virtualUsers: 20, signInSeconds: 1, verifySeconds: 0.5, jwksVerifications: 2_000, memoryUsers: 100_000, redisOps: 2_000, bursts: [{ total: 20, inFlight: 20 }, { total: 100, inFlight: 10 }] }
    : { quick, warmupSeconds: 1, loadSeconds: 5, connections: 32, rounds: 2, virtualUsers: 20, signInSeconds: 5, verifySeconds: 3, jwksVerifications: 10_000, memoryUsers: 1_000_000, redisOps: 20_000, bursts: [{ total: 200, inFlight: 200 }, { total: 2_000, inFlight: 50 }] };
}
