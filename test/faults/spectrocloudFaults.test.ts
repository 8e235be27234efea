import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { report, startFaultRig, timedSignIn, timeUntil, type FaultRig } from './rig';

/**
 * SpectroCloud refusing, resetting and stalling (blackhole) the backend's
 * calls, behind a real TCP proxy. For each: what the user sees during the
 * fault (a clear error within the configured timeout) and how long sign-in
 * takes to work again once the fault is gone.
 */
describe('SpectroCloud faults (token and JWKS calls through a loopback TCP fault proxy)', () => {
  let rig: FaultRig;
  beforeAll(async () => {
    rig = await startFaultRig({ timeoutMs: 2_000 });
    // Warm: endpoints resolved and signing keys cached, as in a running backend.
    expect((await timedSignIn(rig)).ok).toBe(true);
  });
  afterAll(() => rig?.close());

  /** Margin for a loaded 2-core machine on top of the configured timeout. */
  const bound = () => rig.timeoutMs + 3_000;

  /** A server that goes away or stalls takes its open (keep-alive) connections with it. */
  async function fault(mode: 'refuse' | 'reset' | 'blackhole') {
    await rig.proxy.setMode(mode);
    rig.proxy.dropAll();
  }

  async function recoveryAfter(fault: () => Promise<void>) {
    await fault();
    await rig.proxy.setMode('pass');
    return timeUntil(async () => (await timedSignIn(rig)).ok, 10_000);
  }

  it('refused: the user sees "could not reach" at once; sign-in works again on the next attempt', async () => {
    let during: Awaited<ReturnType<typeof timedSignIn>> | undefined;
    const recovery = await recoveryAfter(async () => {
      await fault('refuse');
      during = await timedSignIn(rig);
    });
    report('token endpoint refuses', { duringMs: during!.ms, error: during!.error, recoveryMs: recovery });
    expect(during!.ok).toBe(false);
    expect(during!.error).toMatch(/^SpectroCloudNetworkError: Could not reach SpectroCloud's token endpoint \(ECONNREFUSED\)/);
    expect(during!.ms).toBeLessThan(bound());
    expect(recovery).toBeDefined();
    expect(recovery!).toBeLessThan(2_000);
  });

  it('reset: the user sees "could not reach" at once; sign-in works again on the next attempt', async () => {
    let during: Awaited<ReturnType<typeof timedSignIn>> | undefined;
    const recovery = await recoveryAfter(async () => {
      await fault('reset');
      during = await timedSignIn(rig);
    });
    report('token endpoint resets', { duringMs: during!.ms, error: during!.error, recoveryMs: recovery });
    expect(during!.ok).toBe(false);
    expect(during!.error).toMatch(/^SpectroCloudNetworkError: Could not reach SpectroCloud's token endpoint \(ECONNRESET\)/);
    expect(during!.ms).toBeLessThan(bound());
    expect(recovery!).toBeLessThan(2_000);
  });

  it('blackhole with 80 sign-ins in flight: each fails within the timeout; sign-in recovers within 5 s after', async () => {
    await fault('blackhole');
    const stuck = await Promise.all(Array.from({ length: 80 }, () => timedSignIn(rig)));
    const slowest = Math.max(...stuck.map(s => s.ms));
    const errors = new Set(stuck.map(s => s.error?.replace(/\d+ ms/, '<n> ms')));
    await rig.proxy.setMode('pass');
    const recovery = await timeUntil(async () => (await timedSignIn(rig)).ok, 15_000);
    report('token endpoint blackholed, 80 in flight', {
      failed: stuck.filter(s => !s.ok).length,
      slowestMs: slowest,
      errors: [...errors].join(' | '),
      recoveryMs: recovery ?? 'none within 15 s',
      openProxyConnections: rig.proxy.stats().open,
    });
    expect(stuck.every(s => !s.ok)).toBe(true);
    expect([...errors]).toEqual(["SpectroCloudNetworkError: SpectroCloud's token endpoint did not answer within <n> ms; the request was aborted"]);
    // Bounded, not hung: each waits the 2 s timeout plus its share of a loaded 2-core machine (80 browsers,
    // the emulator and the backend in one process; about 6 s when the machine is otherwise idle).
    expect(slowest).toBeLessThan(rig.timeoutMs + 20_000);
    // THRESHOLD (issue 10): sign-in works again within 5 s once SpectroCloud answers. Before the outbound
    // client aborted stalled requests and freed their sockets, no sign-in succeeded within 15 s (64 dead sockets).
    expect(recovery, 'no sign-in succeeded within 15 s after the blackhole ended').toBeDefined();
    expect(recovery!).toBeLessThan(5_000);
  }, 90_000);
});
