/**
 * The outcome of one doctor check: one line of output. A warning is a setting
 * that works but weakens the deployment: it does not fail the run (exit 0).
 */
export type CheckResult =
  | { check: string; ok: true; detail: string }
  | { check: string; ok: true; warning: true; detail: string; fix: string }
  | { check: string; ok: false; problem: string; fix: string };

export const passed = (check: string, detail: string): CheckResult => ({ check, ok: true, detail });
export const warned = (check: string, detail: string, fix: string): CheckResult => ({ check, ok: true, warning: true, detail, fix });
export const failed = (check: string, problem: string, fix: string): CheckResult => ({ check, ok: false, problem, fix });

/**
 * `ok   <check>: <detail>` or `fail <check>: <problem> -> <fix>`, with every
 * known secret value masked: the checks never put one in a line, this is the
 * second line of defence for text that comes from elsewhere (an error message).
 */
export function formatResult(result: CheckResult, secrets: readonly string[]): string {
  const line =
    'warning' in result
      ? `warn ${result.check}: ${result.detail} -> ${result.fix}`
      : result.ok
        ? `ok   ${result.check}: ${result.detail}`
        : `fail ${result.check}: ${result.problem} -> ${result.fix}`;
  return maskSecrets(oneLine(line), secrets);
}

/** The result as `--json` prints it: the same masking as a line. */
export function maskResult(result: CheckResult, secrets: readonly string[]): CheckResult {
  const mask = (text: string) => maskSecrets(oneLine(text), secrets);
  if ('warning' in result) return { check: result.check, ok: true, warning: true, detail: mask(result.detail), fix: mask(result.fix) };
  return result.ok
    ? { check: result.check, ok: true, detail: mask(result.detail) }
    : { check: result.check, ok: false, problem: mask(result.problem), fix: mask(result.fix) };
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ');
}

function maskSecrets(line: string, secrets: readonly string[]): string {
  let masked = line;
  for (const secret of secrets) {
    // Short values would mask ordinary words; config validation keeps real secrets long.
    if (secret.length < 6) continue;
    for (const form of new Set([secret, encodeURIComponent(secret)])) masked = masked.split(form).join('***');
  }
  return masked;
}
