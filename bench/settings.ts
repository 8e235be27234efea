/** Durations and sizes of one bench run; `--quick` shrinks them for a smoke run. */
export interface Settings {
  quick: boolean;
  /** autocannon: seconds of discarded warm-up, then seconds measured, per contender and run */
  warmupSeconds: number;
  loadSeconds: number;
  connections: number;
  /** figure 1: rounds; each round runs every contender once, the order reversed every other round */
  rounds: number;
  /** whole sign-ins: interleaved rounds (A B, B A, ...), each side's median kept */
  signInRounds: number;
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
  // BENCH_QUICK=1 is the same as --quick (a run of a few minutes).
  const quick = argv.includes('--quick') || process.env.BENCH_QUICK === '1';
  const rounds = Number(option(argv, '--rounds') ?? (quick ? 2 : 8));
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds takes a positive whole number');
  return quick
    ? { quick, warmupSeconds: 0.5, loadSeconds: 1.5, connections: 20, rounds, signInRounds: 2, virtualUsers: 20, signInSeconds: 1, verifySeconds: 0.5, jwksVerifications: 2_000, memoryUsers: 100_000, redisOps: 2_000, bursts: [{ total: 20, inFlight: 20 }, { total: 100, inFlight: 10 }] }
    : { quick, warmupSeconds: 1, loadSeconds: 4, connections: 20, rounds, signInRounds: 4, virtualUsers: 20, signInSeconds: 5, verifySeconds: 3, jwksVerifications: 10_000, memoryUsers: 1_000_000, redisOps: 20_000, bursts: [{ total: 200, inFlight: 200 }, { total: 2_000, inFlight: 50 }] };
}

/** The value after `name` on the command line, e.g. `--only load`. */
export function option(argv: string[], name: string): string | undefined {
  const at = argv.indexOf(name);
  return at >= 0 ? argv[at + 1] : undefined;
}
