#!/usr/bin/env node
/**
 * The package's command line: `npx backstage-plugin-spectrocloud-auth-legacy doctor --config app-config.yaml`.
 * Prints one line per check (or, with --json, one JSON document) and never a secret;
 * exits 0 when every check passed, warnings included (a readiness probe's answer), 1 when a check failed, 2 on wrong usage.
 */
import { formatResult, maskResult, type CheckResult } from './DoctorCheck';
import { DOCTOR_USAGE, parseDoctorArgs } from './parseDoctorArgs';
import { runDoctor } from './runDoctor';

/** This program's own output (not a log). */
const print = (text: string) => process.stdout.write(`${text}\n`);

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command !== 'doctor') {
    print(DOCTOR_USAGE);
    return command === undefined || command === '--help' || command === 'help' ? 0 : 2;
  }
  let args;
  try {
    args = parseDoctorArgs(rest);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${DOCTOR_USAGE}\n`);
    return 2;
  }
  if (args === 'help') {
    print(DOCTOR_USAGE);
    return 0;
  }
  if (args.json) {
    const checks: CheckResult[] = [];
    const ok = await runDoctor(args, (result, secrets) => checks.push(maskResult(result, secrets)));
    print(JSON.stringify({ ok, checks }, null, 2));
    return ok ? 0 : 1;
  }
  let warnings = 0;
  const ok = await runDoctor(args, (result, secrets) => {
    if ('warning' in result) warnings += 1;
    print(formatResult(result, secrets));
  });
  const warned = warnings > 0 ? `, with ${warnings} warning(s) (see the warn lines above)` : '';
  print(ok ? `doctor: all checks passed${warned}` : 'doctor: some checks failed (see the fail lines above)');
  return ok ? 0 : 1;
}

main(process.argv.slice(2)).then(
  code => {
    // Sockets kept alive by agents must not hold the process open.
    process.exitCode = code;
    setImmediate(() => process.exit(code));
  },
  error => {
    process.stderr.write(`doctor failed unexpectedly: ${(error as Error).name}\n`);
    process.exit(1);
  },
);
