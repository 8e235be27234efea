import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { failed, passed, type CheckResult } from '../DoctorCheck';
import { FIXES } from '../fixes';
import type { DeploymentSettings } from './configCheck';

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

interface CaSource {
  /** how the person on call names it: `caFile`, `ca`, `NODE_EXTRA_CA_CERTS` */
  name: string;
  read(): string;
}

/**
 * `ca`: every extra CA the outbound client will trust holds PEM
 * certificates, not all expired: the provider's `ca` and `caFile` (the
 * config reader has already read the file) and NODE_EXTRA_CA_CERTS, which
 * Node only warns about on stderr when it cannot read it, then trusting
 * nothing extra.
 */
export function checkCa(
  { path, settings }: DeploymentSettings,
  env: NodeJS.ProcessEnv = process.env,
  now: () => number = Date.now,
): CheckResult {
  const sources: CaSource[] = settings.ca.map((pem, index) => ({
    name: `${path}.ca/caFile (${index + 1} of ${settings.ca.length})`,
    read: () => pem,
  }));
  if (env.NODE_EXTRA_CA_CERTS) {
    const file = env.NODE_EXTRA_CA_CERTS;
    sources.push({ name: 'NODE_EXTRA_CA_CERTS', read: () => readFileSync(file, 'utf8') });
  }
  if (sources.length === 0) return passed('ca', 'no extra CA configured: the system trust store only');

  const found: string[] = [];
  for (const source of sources) {
    let text: string;
    try {
      text = source.read();
    } catch (error) {
      return failed('ca', `${source.name}: the file cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, FIXES.caFile);
    }
    const blocks = text.match(PEM_CERTIFICATE) ?? [];
    if (blocks.length === 0) return failed('ca', `${source.name}: no PEM certificate in it`, FIXES.caFile);
    let expired = 0;
    for (const pem of blocks) {
      let certificate: X509Certificate;
      try {
        certificate = new X509Certificate(pem);
      } catch {
        return failed('ca', `${source.name}: a certificate block does not parse`, FIXES.caFile);
      }
      if (Date.parse(certificate.validTo) < now()) expired += 1;
    }
    // A bundle often carries a few expired roots (the system one does); only a bundle with nothing valid is broken.
    if (expired === blocks.length) return failed('ca', `${source.name}: every certificate in it has expired`, FIXES.caFile);
    found.push(`${source.name} (${blocks.length} certificate${blocks.length === 1 ? '' : 's'}${expired ? `, ${expired} expired` : ''})`);
  }
  return passed('ca', `trusted besides the system store: ${found.join(', ')}`);
}
