import { writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import selfsigned from 'selfsigned';
import { createTempDir, removeTempDir } from './tempDir';

/**
 * A throw-away certificate authority for TLS tests (a "private CA" of a
 * corporate network): a CA certificate and server certificates it signs
 * for the names and IPs a test server answers on. Generated with
 * `selfsigned` (Node's WebCrypto underneath), EC P-256 keys, valid from one
 * hour ago (clock skew) for one day; about 10-30 ms per certificate.
 *
 * PEM strings stay in memory; writeCaFile() puts the CA certificate in a
 * temp dir (for NODE_EXTRA_CA_CERTS or a `caFile` setting) that close()
 * removes. The CA private key is never written to disk.
 */
export interface TestCertificate {
  /** PEM certificate */
  cert: string;
  /** PEM PKCS#8 private key */
  key: string;
}

export interface TestCa {
  /** PEM of the CA certificate: what a client must trust */
  certPem: string;
  /**
   * A server certificate signed by this CA. Defaults to `localhost` and
   * `127.0.0.1`; entries that look like IPv4/IPv6 addresses become IP SANs,
   * the rest DNS SANs.
   */
  issueServerCertificate(hosts?: string[]): Promise<TestCertificate>;
  /** Writes the CA certificate to `<tempdir>/ca.pem` (once) and returns the path. */
  writeCaFile(): Promise<string>;
  /** Removes the temp dir, if any. */
  close(): Promise<void>;
}

const HOUR_MS = 3_600_000;
const DEFAULT_HOSTS = ['localhost', '127.0.0.1'];

export async function createTestCa(options: { commonName?: string } = {}): Promise<TestCa> {
  const validity = () => ({ notBeforeDate: new Date(Date.now() - HOUR_MS), notAfterDate: new Date(Date.now() + 24 * HOUR_MS) });
  const ca = await selfsigned.generate([{ name: 'commonName', value: options.commonName ?? 'Throw-away Test CA' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    ...validity(),
    extensions: [
      { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
  let dir: string | undefined;
  let caFile: string | undefined;

  return {
    certPem: ca.cert,
    async issueServerCertificate(hosts = DEFAULT_HOSTS) {
      if (hosts.length === 0) throw new Error('issueServerCertificate needs at least one host name or IP');
      const issued = await selfsigned.generate([{ name: 'commonName', value: hosts[0]! }], {
        keyType: 'ec', // selfsigned reads the CA key with the leaf's key type
        algorithm: 'sha256',
        ...validity(),
        ca: { key: ca.private, cert: ca.cert },
        extensions: [
          { name: 'basicConstraints', cA: false, critical: true },
          { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
          { name: 'extKeyUsage', serverAuth: true },
          { name: 'subjectAltName', altNames: hosts.map(host => (isIP(host) ? { type: 7, ip: host } : { type: 2, value: host })) },
        ],
      });
      return { cert: issued.cert, key: issued.private };
    },
    async writeCaFile() {
      if (!caFile) {
        dir = await createTempDir('test-ca');
        caFile = join(dir, 'ca.pem');
        await writeFile(caFile, ca.cert, { mode: 0o600 });
      }
      return caFile;
    },
    async close() {
      if (dir) await removeTempDir(dir);
      dir = undefined;
      caFile = undefined;
    },
  };
}

