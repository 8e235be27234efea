import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SpectroCloudAuthMetrics } from '../../src/metrics';
import { spectroCloudAuthMetricsServiceRef } from '../../src/newBackend';
import { signIn, startFixture, type Fixture } from '../support/spectroFixture';

/*
 * The new-system module counts sign-ins into the root service behind
 * `spectroCloudAuthMetricsServiceRef` (`.../backend-module`): another plugin
 * of the same backend depends on the ref and reads the same counters.
 */
describe('the module metrics, through spectroCloudAuthMetricsServiceRef', () => {
  let fixture: Fixture;
  let seen: SpectroCloudAuthMetrics | undefined;
  const reader = createBackendPlugin({
    pluginId: 'metrics-reader',
    register(env) {
      env.registerInit({
        deps: { metrics: spectroCloudAuthMetricsServiceRef },
        async init({ metrics }) {
          seen = metrics;
        },
      });
    },
  });

  beforeAll(async () => {
    fixture = await startFixture({ kind: 'new', plugins: [reader] });
  });
  afterAll(() => fixture?.close());

  it('a plugin reads the sign-ins and failures the module counted', async () => {
    expect(seen?.snapshot().signIns).toBe(0);
    const { frame } = await signIn(fixture);
    expect(frame.message.error).toBeUndefined();
    const snapshot = seen!.snapshot();
    expect(snapshot.signIns).toBe(1);
    expect(snapshot.providers.spectrocloud?.signIns).toBe(1);
  });
});
