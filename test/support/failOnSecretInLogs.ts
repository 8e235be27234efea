import { afterAll } from 'vitest';
import { findLeakedSecret, registeredSecrets } from './secrets';

/**
 * Captures everything the test file prints (stdout, stderr, console) and fails
 * the file if a registered secret (token, code, client secret) appears in it.
 */
const captured: string[] = [];

for (const stream of [process.stdout, process.stderr]) {
  const write = stream.write.bind(stream);
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    captured.push(String(chunk));
    return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof stream.write;
}

for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
  const original = console[method].bind(console);
  console[method] = (...args: unknown[]) => {
    captured.push(args.map(a => (typeof a === 'string' ? a : safeStringify(a))).join(' '));
    original(...args);
  };
}

// Log lines the tests keep quiet are still inspected.
(globalThis as { __spectroQuietLog?: (line: string) => void }).__spectroQuietLog = line => captured.push(line);

function safeStringify(value: unknown): string {
  try {
    return value instanceof Error ? `${value.name}: ${value.message}\n${value.stack}` : JSON.stringify(value);
  } catch {
    return String(value);
  }
}

afterAll(() => {
  const leaked = findLeakedSecret(captured.join('\n'), registeredSecrets());
  if (leaked) {
    throw new Error(`A secret registered by the tests appeared in the log output (first 6 chars: ${leaked.slice(0, 6)}...)`);
  }
});
