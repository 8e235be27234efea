/**
 * Secrets the tests hand out (client secrets, codes, tokens). The log capture
 * in failOnSecretInLogs.ts fails the file if any of them is ever printed.
 */
const registry: Set<string> = ((globalThis as any).__spectroTestSecrets ??= new Set<string>());

/** Remember a value that must never reach a log line. Short values are ignored: they match by chance. */
export function registerSecret(value: string | undefined | null): void {
  if (value && value.length >= 12) registry.add(value);
}

export function registeredSecrets(): Iterable<string> {
  return registry;
}

/** The first registered secret found in `output`, whole or URL-encoded. */
export function findLeakedSecret(output: string, secrets: Iterable<string>): string | undefined {
  for (const secret of secrets) {
    if (output.includes(secret) || output.includes(encodeURIComponent(secret))) return secret;
  }
  return undefined;
}
