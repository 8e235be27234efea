import { ConfigReader } from '@backstage/config';
import type { JsonObject } from '@backstage/types';
import { describe, expect, it } from 'vitest';
import { checkConcurrentRefresh } from '../../src/doctor/checks/concurrentRefreshCheck';
import { checkConfig } from '../../src/doctor/checks/configCheck';

/** The `concurrent-refresh` line for each kind of token store, from a deployment's config as the doctor reads it. */
function lineFor(tokenStore: JsonObject | undefined, environment: JsonObject = {}) {
  const config = new ConfigReader({
    app: { baseUrl: 'http://localhost:3000' },
    backend: { baseUrl: 'http://localhost:7007' },
    auth: {
      environment: 'development',
      providers: {
        spectrocloud: {
          ...(tokenStore ? { tokenStore } : {}),
          development: {
            clientId: 'doctor-client',
            clientSecret: 'doctor-client-secret-3f9a1c07d2',
            authorizationUrl: 'https://console.spectrocloud.example/v1/oidc/tenant/t1/auth',
            ...environment,
          },
        },
      },
    },
  });
  const { deployment } = checkConfig(config, { providerId: 'spectrocloud' });
  if (!deployment) throw new Error('the test deployment should be valid');
  return checkConcurrentRefresh(deployment);
}

const FIX = "with more than one replica, set auth.providers.spectrocloud.tokenStore.type to 'redis'";

describe('doctor concurrent-refresh', () => {
  it('says a memory store coordinates refreshes in this process only, and what to set for replicas', () => {
    const result = lineFor(undefined);
    expect(result).toMatchObject({ check: 'concurrent-refresh', ok: true });
    expect(result.ok && result.detail).toContain('in this process only (memory store, not shared by replicas)');
    expect(result.ok && result.detail).toContain(FIX);
  });

  it("says Backstage's cache shares results but cannot claim a grant for one replica", () => {
    const result = lineFor({ type: 'backstage-cache' });
    expect(result.ok && result.detail).toContain('it has no atomic claim');
    expect(result.ok && result.detail).toContain(FIX);
  });

  it('says Redis claims and shares each grant across replicas, for 3 x timeout', () => {
    const result = lineFor({ type: 'redis', redis: { url: 'redis://127.0.0.1:6379' } }, { timeout: 5000 });
    expect(result.ok && result.detail).toBe('one refresh grant per session across replicas: claimed and shared through Redis, results kept 15 s (3 x timeout)');
  });
});
