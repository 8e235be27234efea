import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spawnOwned, type OwnedProcess } from '../support/ownedProcess';
import { startForwardProxy, type ForwardProxy } from '../support/forwardProxy';
import { registerSecret } from '../support/secrets';
import { CookieJar, callback, signIn, startFixture, startSignIn, type Fixture, type WithBackend } from '../support/spectroFixture';
import { createTestCa, type TestCa } from '../support/testCa';
import { authorizeOverHttps } from './httpsAuthorize';

/** A whole sign-in against an HTTPS emulator whose certificate comes from `ca`. */
async function signInOverHttps(backend: WithBackend, ca: string) {
  const jar = new CookieJar();
  const start = await startSignIn(backend, jar);
  expect(start.status).toBe(302);
  const callbackUrl = await authorizeOverHttps(start.headers.location, 'alice@example.com', ca);
  return callback(backend, jar, callbackUrl);
}

describe('through a corporate forwarding proxy', () => {
  let proxy: ForwardProxy;
  const saved = { ...process.env };
  beforeAll(async () => {
    proxy = await startForwardProxy();
    registerSecret(proxy.url);
  });
  afterEach(() => {
    for (const key of ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy']) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  });
  afterAll(() => proxy?.close());

  const emulatorTarget = (fixture: Fixture) => new URL(fixture.emulator.url).host;

  it('signs in with `proxy` set per provider, and the proxy carried discovery, JWKS and token requests', async () => {
    const fixture = await startFixture({ environment: { proxy: proxy.url } });
    try {
      const { frame } = await signIn(fixture);
      expect(frame.message.error).toBeUndefined();
      const { stats } = fixture.emulator;
      expect(stats.discoveryRequests).toBeGreaterThanOrEqual(1);
      expect(stats.jwksRequests).toBeGreaterThanOrEqual(1);
      expect(stats.tokenRequests).toBe(1);
      // Every back-channel request the emulator saw came through the proxy.
      expect((await proxy.countFor(emulatorTarget(fixture))).http).toBe(stats.discoveryRequests + stats.jwksRequests + stats.tokenRequests);
    } finally {
      await fixture.close();
    }
  });

  it('follows HTTP_PROXY from the environment, and NO_PROXY bypasses it (count stays 0)', async () => {
    process.env.HTTP_PROXY = proxy.url;
    const proxied = await startFixture();
    try {
      expect((await signIn(proxied)).frame.message.error).toBeUndefined();
      expect((await proxy.countFor(emulatorTarget(proxied))).http).toBeGreaterThanOrEqual(3);
    } finally {
      await proxied.close();
    }

    process.env.NO_PROXY = '127.0.0.1,localhost';
    const bypassing = await startFixture();
    try {
      expect((await signIn(bypassing)).frame.message.error).toBeUndefined();
      expect(await proxy.countFor(emulatorTarget(bypassing))).toEqual({ connect: 0, http: 0 });
    } finally {
      await bypassing.close();
    }
  });
});

describe('SpectroCloud behind a private CA (emulator over HTTPS)', () => {
  let ca: TestCa;
  let tls: { key: string; cert: string };
  beforeAll(async () => {
    ca = await createTestCa();
    tls = await ca.issueServerCertificate();
  });
  afterAll(() => ca?.close());

  it('signs in with the CA given inline as `ca`', async () => {
    const fixture = await startFixture({ emulator: { tls }, environment: { ca: ca.certPem } });
    try {
      const frame = await signInOverHttps(fixture, ca.certPem);
      expect(frame.message.error).toBeUndefined();
      expect(frame.message.response.backstageIdentity.identity.userEntityRef).toBe('user:default/alice');
    } finally {
      await fixture.close();
    }
  });

  it('signs in with the CA given as `caFile`', async () => {
    const fixture = await startFixture({ emulator: { tls }, environment: { caFile: await ca.writeCaFile() } });
    try {
      expect((await signInOverHttps(fixture, ca.certPem)).message.error).toBeUndefined();
    } finally {
      await fixture.close();
    }
  });

  it('fails with a clear TLS error (ERR_TLS) without the CA', async () => {
    const fixture = await startFixture({ emulator: { tls } });
    try {
      const frame = await signInOverHttps(fixture, ca.certPem);
      expect(frame.message.error?.message).toMatch(/^TLS with SpectroCloud's token endpoint failed \([A-Z_]+\): .*add your CA with 'ca' or 'caFile', or NODE_EXTRA_CA_CERTS$/);
      expect(fixture.backend.logLines.join('\n')).toMatch(/sign-in failed: ERR_TLS/);
    } finally {
      await fixture.close();
    }
  });

  describe('NODE_EXTRA_CA_CERTS (read at process start: the backend runs in a child process)', () => {
    const SCRIPT = fileURLToPath(new URL('./fixtures/extraCaBackend.ts', import.meta.url));

    async function startChild(extraCaFile: string): Promise<{ child: OwnedProcess; backend: WithBackend }> {
      let output = '';
      let ready: (() => void) | undefined;
      const env = [`TEST_TLS_KEY=${tls.key}`, `TEST_TLS_CERT=${tls.cert}`, `NODE_EXTRA_CA_CERTS=${extraCaFile}`];
      const child = await spawnOwned('/usr/bin/env', [...env, process.execPath, '--import', 'tsx', SCRIPT], {
        cwd: fileURLToPath(new URL('../..', import.meta.url)),
        onOutput: chunk => {
          output += chunk;
          if (/\{"backendUrl"/.test(output)) ready?.();
        },
      });
      await Promise.race([
        new Promise<void>(resolve => (/\{"backendUrl"/.test(output) ? resolve() : (ready = resolve))),
        child.exited.then(code => {
          throw new Error(`backend process exited (${code}): ${child.output().slice(-500)}`);
        }),
        new Promise((_, reject) => setTimeout(() => reject(new Error('backend process did not start in 60 s')), 60_000).unref()),
      ]);
      const { backendUrl } = JSON.parse(/\{"backendUrl".*\}/.exec(output)![0]) as { backendUrl: string };
      return { child, backend: { backend: { url: backendUrl } } };
    }

    // Without the variable the same sign-in fails with ERR_TLS: the in-process test above (this process has none).
    it('signs in when NODE_EXTRA_CA_CERTS names the CA, with no CA in the provider config', async () => {
      const trusting = await startChild(await ca.writeCaFile());
      try {
        const frame = await signInOverHttps(trusting.backend, ca.certPem);
        expect(frame.message.error).toBeUndefined();
        expect(frame.message.response.backstageIdentity.identity.userEntityRef).toBe('user:default/alice');
      } finally {
        await trusting.child.kill();
      }
    }, 90_000);
  });
});
