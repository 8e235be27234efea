import { refreshGrantHoldMs } from '../../composition/createSignInService';
import { passed, type CheckResult } from '../DoctorCheck';
import type { DeploymentSettings } from './configCheck';

/**
 * `concurrent-refresh`: where refreshes of one session that run at once meet,
 * so that its refresh token reaches the IdP once. An IdP that rotates refresh
 * tokens and detects reuse (RFC 9700 4.14.2) revokes the grant, and signs the
 * user out, when two replicas present the same one. Only Redis gives every
 * replica the claim (SET NX) and the shared result; whether this deployment
 * runs more than one replica is not in its config, so the line says what
 * holds and what to set, and does not fail.
 */
export function checkConcurrentRefresh({ providerId, tokenStore, settings }: DeploymentSettings): CheckResult {
  const keptSeconds = Math.round(refreshGrantHoldMs(settings.timeout) / 1000);
  const fix = `with more than one replica, set auth.providers.${providerId}.tokenStore.type to 'redis' (only matters with an IdP that issues refresh tokens; SpectroCloud's do not)`;
  if (tokenStore.type === 'redis') {
    return passed('concurrent-refresh', `one refresh grant per session across replicas: claimed and shared through Redis, results kept ${keptSeconds} s (3 x timeout)`);
  }
  if (tokenStore.type === 'backstage-cache') {
    return passed(
      'concurrent-refresh',
      `results shared through the backend's cache for ${keptSeconds} s, but it has no atomic claim: replicas refreshing the same session at the same moment can each ask the IdP; ${fix}`,
    );
  }
  return passed('concurrent-refresh', `one refresh grant per session in this process only (memory store, not shared by replicas); ${fix}`);
}
