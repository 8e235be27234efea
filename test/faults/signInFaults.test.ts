import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CookieJar, authorize, callback, signIn, startSignIn, type Fixture } from '../support/spectroFixture';
import { startProxiedFixture, type ProxiedFixture } from './proxiedFixture';

/** What the user sees in the popup, and the code the backend logged for that sign-in. */
function failureOf(fixture: Fixture, frame: Awaited<ReturnType<typeof callback>>) {
  const line = [...fixture.backend.logLines].reverse().find(l => l.includes('SpectroCloud sign-in failed')) ?? '';
  return { name: frame.message.error?.name, message: frame.message.error?.message ?? '', code: /(ERR_[A-Z_]+)/.exec(line)?.[1] };
}

/** start + authorize: a sign-in that only waits for its code exchange. */
async function upToCallback(fixture: Fixture, email = 'alice@example.com') {
  const jar = new CookieJar();
  const start = await startSignIn(fixture, jar);
  const callbackUrl = await authorize(start.headers.location, email);
  return { jar, callbackUrl };
}

describe('a token endpoint that accepts connections and never answers (blackhole), 80 sign-ins in flight', () => {
  const TIMEOUT_MS = 3_000;
  const STUCK = 80;
  let fixture: ProxiedFixture;
  beforeAll(async () => {
    fixture = await startProxiedFixture({ environment: () => ({ timeout: TIMEOUT_MS }) });
    await signIn(fixture); // warm: keys fetched, one pooled connection
  });
  afterAll(() => fixture?.close());

  it('fails each stuck sign-in at its deadline with ERR_TIMEOUT and signs in again within 5 s once SpectroCloud answers', async () => {
    const pending = await Promise.all(Array.from({ length: STUCK }, () => upToCallback(fixture)));
    await fixture.faults.setMode('blackhole');
    fixture.faults.dropAll(); // connections pooled before the stall would still pass
    await new Promise(resolve => setTimeout(resolve, 100));
    const acceptedBefore = fixture.faults.stats().acceptedByMode.blackhole;
    const startedAt = Date.now();
    const frames = await Promise.all(pending.map(({ jar, callbackUrl }) => callback(fixture, jar, callbackUrl)));
    expect(fixture.faults.stats().acceptedByMode.blackhole - acceptedBefore).toBeGreaterThanOrEqual(STUCK);
    const failedAfterMs = Date.now() - startedAt;

    // What the users see: a clear timeout naming the endpoint, within the deadline (plus a loaded machine's slack).
    for (const frame of frames) {
      expect(frame.message.error?.message).toMatch(/SpectroCloud's token endpoint did not answer within 3000 ms/);
    }
    expect(failureOf(fixture, frames[0]!).code).toBe('ERR_TIMEOUT');
    expect(failedAfterMs).toBeLessThan(TIMEOUT_MS + 12_000);
    // That each stuck socket is destroyed at its deadline (and its pool slot freed) is proven in test/operations/outboundClient.test.ts.

    // SpectroCloud answers again: the very next sign-ins get through.
    await fixture.faults.setMode('pass');
    const recoveredAt = Date.now();
    for (let i = 0; i < 3; i++) {
      const { frame } = await signIn(fixture);
      expect(frame.message.error).toBeUndefined();
      expect(frame.message.response.backstageIdentity.identity.userEntityRef).toBe('user:default/alice');
    }
    const recoveryMs = Date.now() - recoveredAt;
    console.info(`[figure] blackhole: ${STUCK} sign-ins failed after ${failedAfterMs} ms (timeout ${TIMEOUT_MS} ms); 3 sign-ins after recovery took ${recoveryMs} ms`);
    expect(recoveryMs).toBeLessThan(5_000);
  }, 60_000);

  it('says a refused connection is unreachable, and a reset one too, without host or port', async () => {
    const { port } = fixture.faults;
    for (const mode of ['refuse', 'reset'] as const) {
      await fixture.faults.setMode(mode);
      const { jar, callbackUrl } = await upToCallback(fixture);
      // Connections pooled before the fault would still pass: a real outage breaks them too.
      fixture.faults.dropAll();
      await new Promise(resolve => setTimeout(resolve, 100));
      const frame = await callback(fixture, jar, callbackUrl);
      expect(frame.message.error).toBeDefined();
      const failure = failureOf(fixture, frame);
      expect(failure.code).toBe('ERR_TOKEN_ENDPOINT_UNREACHABLE');
      expect(failure.message).toMatch(/Could not reach SpectroCloud's token endpoint \((ECONNREFUSED|ECONNRESET)\)/);
      expect(failure.message).not.toContain(String(port));
      expect(failure.message).not.toContain('127.0.0.1');
    }
    await fixture.faults.setMode('pass');
  });
});

describe('answers larger than allowed', () => {
  let fixture: ProxiedFixture;
  let bigServer: http.Server;
  let bigUrl = '';
  let bytesSent = 0;
  const BIG = 50 * 1024 * 1024;
  beforeAll(async () => {
    // A token endpoint that answers 50 MB, streamed from one reused buffer so the test itself does not hold 50 MB.
    const chunk = Buffer.alloc(64 * 1024, 'a');
    bigServer = http.createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json', ...(req.url?.includes('chunked') ? {} : { 'content-length': BIG }) });
      let sent = 0;
      const pump = () => {
        while (sent < BIG) {
          sent += chunk.length;
          bytesSent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('close', () => (sent = BIG));
      pump();
    });
    await new Promise<void>(resolve => bigServer.listen(0, '127.0.0.1', resolve));
    bigUrl = `http://127.0.0.1:${(bigServer.address() as AddressInfo).port}`;
    fixture = await startProxiedFixture({ environment: () => ({ tokenUrl: `${bigUrl}/token-chunked` }) });
  });
  afterAll(async () => {
    await fixture?.close();
    await new Promise(resolve => bigServer?.close(resolve));
  });

  it('cuts a 50 MB token answer off at 1 MiB while it streams: ERR_RESPONSE_TOO_LARGE, and memory does not grow by the body size', async () => {
    const before = process.memoryUsage();
    const sentBefore = bytesSent;
    const rounds = 3;
    for (let i = 0; i < rounds; i++) {
      const { jar, callbackUrl } = await upToCallback(fixture);
      const frame = await callback(fixture, jar, callbackUrl);
      expect(frame.message.error?.message).toMatch(/SpectroCloud's token endpoint sent an answer larger than 1048576 bytes; it was cut off/);
      expect(failureOf(fixture, frame).code).toBe('ERR_RESPONSE_TOO_LARGE');
    }
    const after = process.memoryUsage();
    const growthMb = (key: keyof NodeJS.MemoryUsage) => (after[key] - before[key]) / 1024 / 1024;
    const sentMb = (bytesSent - sentBefore) / 1024 / 1024 / rounds;
    console.info(
      `[figure] 50 MB token answer x${rounds}: server wrote ~${sentMb.toFixed(1)} MB each before the cut; growth rss ${growthMb('rss').toFixed(1)} MB, heap ${growthMb('heapUsed').toFixed(1)} MB, buffers ${growthMb('arrayBuffers').toFixed(1)} MB`,
    );
    // Before the fix each answer was read whole (~150 MB of growth per answer).
    expect(growthMb('heapUsed') + growthMb('arrayBuffers')).toBeLessThan(30);
    expect(growthMb('rss')).toBeLessThan(60);
  }, 60_000);

  it('refuses a 200 KB ID token before parsing it: ERR_ID_TOKEN_TOO_LARGE', async () => {
    const own = await startProxiedFixture();
    try {
      own.emulator.setFaults({ idTokenPadBytes: 200 * 1024 });
      const { frame } = await signIn(own);
      expect(frame.message.error?.message).toMatch(/ID token is \d+ bytes, more than the 16384 allowed \(maxIdTokenBytes\)/);
      expect(failureOf(own, frame).code).toBe('ERR_ID_TOKEN_TOO_LARGE');
      own.emulator.resetFaults();
      expect((await signIn(own)).frame.message.error).toBeUndefined();
    } finally {
      await own.close();
    }
  });
});
