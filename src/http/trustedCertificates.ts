import { readFileSync } from 'node:fs';
import tls from 'node:tls';

/**
 * The CA list for a provider with extra CAs of its own (a corporate or
 * private CA in front of SpectroCloud). Node's `ca` option replaces the
 * trust store instead of adding to it, so the list is Node's bundled roots,
 * the file NODE_EXTRA_CA_CERTS names (Node reads it only for its default
 * store) and the provider's own PEM texts. Undefined when the provider has
 * none: Node's default store (NODE_EXTRA_CA_CERTS included) then applies.
 */
export function trustedCertificates(extraPem: string[], env: NodeJS.ProcessEnv = process.env): string[] | undefined {
  if (extraPem.length === 0) return undefined;
  const fromEnvironment = env.NODE_EXTRA_CA_CERTS ? readOptionalFile(env.NODE_EXTRA_CA_CERTS) : undefined;
  return [...tls.rootCertificates, ...(fromEnvironment ? [fromEnvironment] : []), ...extraPem];
}

/** Node itself only warns when NODE_EXTRA_CA_CERTS cannot be read; so do we (by leaving it out). */
function readOptionalFile(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
