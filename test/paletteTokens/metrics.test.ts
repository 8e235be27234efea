import { SpectroCloudAuthMetrics } from '../../src/metrics';
import { describe, expect, it } from 'vitest';

describe('SpectroCloudAuthMetrics', () => {
  it('starts with every counter at zero', () => {
    expect(new SpectroCloudAuthMetrics().snapshot()).toEqual({
      signIns: 0,
      signInFailures: {},
      providers: {},
      tokenStore: { hits: 0, misses: 0, evictions: 0, expired: 0, errors: 0, undecryptable: 0, writesQueued: 0, writesRecovered: 0, writesLost: 0 },
      handoff: {
        granted: 0,
        serviceTokenFallbacks: 0,
        unauthenticated: 0,
        forbidden: 0,
        reAuthRequired: 0,
        unavailable: 0,
        renewed: 0,
        renewalRefused: 0,
        renewalFailed: 0,
      },
    });
  });

  it('counts sign-ins and sign-in failures by error code', () => {
    const metrics = new SpectroCloudAuthMetrics();
    metrics.signIn();
    metrics.signIn();
    metrics.signInFailure('ERR_ID_TOKEN_EXPIRED');
    metrics.signInFailure('ERR_ID_TOKEN_EXPIRED');
    metrics.signInFailure('ERR_TOKEN_ENDPOINT');
    expect(metrics.snapshot()).toMatchObject({
      signIns: 2,
      signInFailures: { ERR_ID_TOKEN_EXPIRED: 2, ERR_TOKEN_ENDPOINT: 1 },
    });
  });

  it('folds a failure cause that is not an error code into OTHER, so no user data becomes a label', () => {
    const metrics = new SpectroCloudAuthMetrics();
    metrics.signInFailure('no user found for alice@example.com');
    expect(metrics.snapshot().signInFailures).toEqual({ OTHER: 1 });
  });

  it('returns a snapshot that is plain JSON and does not change afterwards', () => {
    const metrics = new SpectroCloudAuthMetrics();
    const snapshot = metrics.snapshot();
    metrics.recordTokenStore('hits');
    expect(snapshot.tokenStore.hits).toBe(0);
    expect(JSON.parse(JSON.stringify(metrics.snapshot()))).toEqual(metrics.snapshot());
  });

  it('renders the Prometheus text exposition format', () => {
    const metrics = new SpectroCloudAuthMetrics();
    metrics.signIn();
    metrics.signInFailure('ERR_TOKEN_ENDPOINT');
    metrics.recordTokenStore('evictions', 3);
    metrics.recordHandoff('reAuthRequired');
    const text = metrics.toPrometheus();
    expect(text).toContain('# TYPE spectrocloud_auth_sign_ins_total counter\nspectrocloud_auth_sign_ins_total{provider="spectrocloud"} 1\n');
    expect(text).toContain('spectrocloud_auth_sign_in_failures_total{provider="spectrocloud",code="ERR_TOKEN_ENDPOINT"} 1\n');
    expect(text).toContain('spectrocloud_auth_token_store_events_total{event="evictions"} 3\n');
    expect(text).toContain('spectrocloud_auth_token_handoff_total{outcome="reAuthRequired"} 1\n');
    expect(text.endsWith('\n')).toBe(true);
    for (const line of text.trimEnd().split('\n')) {
      expect(line).toMatch(/^(# (HELP|TYPE) \w+ .+|\w+(\{\w+="[^"]*"(,\w+="[^"]*")*\})? \d+)$/);
    }
  });

  it('counts sign-ins and failures per provider id, so two tenants can share one counter object', () => {
    const metrics = new SpectroCloudAuthMetrics();
    metrics.signIn('spectrocloud');
    metrics.signIn('spectrocloud-eu');
    metrics.signIn('spectrocloud-eu');
    metrics.signInFailure('ERR_USER_NOT_FOUND', 'spectrocloud-eu');
    metrics.signInFailure('ERR_USER_NOT_FOUND', 'not a provider id!');
    expect(metrics.snapshot()).toMatchObject({
      signIns: 3,
      signInFailures: { ERR_USER_NOT_FOUND: 2 },
      providers: {
        spectrocloud: { signIns: 1, signInFailures: {} },
        'spectrocloud-eu': { signIns: 2, signInFailures: { ERR_USER_NOT_FOUND: 1 } },
        OTHER: { signIns: 0, signInFailures: { ERR_USER_NOT_FOUND: 1 } },
      },
    });
    const text = metrics.toPrometheus();
    expect(text).toContain('spectrocloud_auth_sign_ins_total{provider="spectrocloud-eu"} 2\n');
    expect(text).toContain('spectrocloud_auth_sign_in_failures_total{provider="spectrocloud-eu",code="ERR_USER_NOT_FOUND"} 1\n');
  });
});
