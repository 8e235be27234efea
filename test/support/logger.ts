import type { LoggerService } from '@backstage/backend-plugin-api';

/**
 * A real logger for the legacy router that prints every line (so the
 * secret-leak capture sees it) and keeps them for assertions.
 */
export function createTestLogger(lines: string[] = [], fields: Record<string, unknown> = {}): LoggerService & { lines: string[] } {
  const write = (level: string) => (message: string, meta?: unknown) => {
    const line = JSON.stringify({ level, message, ...fields, ...(meta instanceof Error ? { error: meta.message } : (meta as object)) });
    lines.push(line);
    if (process.env.TEST_LOGS) process.stdout.write(`${line}\n`);
    else captureOnly(line);
  };
  return {
    lines,
    error: write('error'),
    warn: write('warn'),
    info: write('info'),
    debug: write('debug'),
    child: (meta: Record<string, unknown>) => createTestLogger(lines, { ...fields, ...meta }),
  };
}

/** Goes through console.debug so failOnSecretInLogs inspects it without flooding the output. */
function captureOnly(line: string) {
  const quiet = (globalThis as { __spectroQuietLog?: (line: string) => void }).__spectroQuietLog;
  quiet?.(line);
}
