import { randomBytes } from 'node:crypto';
import { createStoreOnBlock } from '../../paletteTokens/stores/createPaletteTokenCache';
import { failed, passed, type CheckResult } from '../DoctorCheck';
import { FIXES } from '../fixes';
import type { DeploymentSettings } from './configCheck';

/**
 * `token-store`: the store the provider will write Palette tokens to,
 * built by the package's own factory from `tokenStore` and read once (a
 * key that cannot exist), so Redis is reached with the configured address,
 * credentials and TLS. The encryption key's form was checked by `config`.
 */
export async function checkTokenStore({ provider, providerId, tokenStore }: DeploymentSettings): Promise<CheckResult> {
  const encryption = tokenStore.encryptionKey
    ? `; encrypted at rest (AES-256-GCM${tokenStore.previousEncryptionKeys?.length ? `, ${tokenStore.previousEncryptionKeys.length} previous key(s) still read` : ''})`
    : '; not encrypted at rest';
  if (tokenStore.type === 'memory') return passed('token-store', `memory (per process, not shared by replicas)${encryption}`);
  if (tokenStore.type === 'backstage-cache') return passed('token-store', `the backend's cache (backend.cache), reached through Backstage at startup${encryption}`);
  const store = createStoreOnBlock(provider.getOptional('tokenStore'), { providerId });
  try {
    await store.get(`doctor-probe-${randomBytes(12).toString('hex')}`);
  } catch (error) {
    return failed('token-store', (error as Error).message, FIXES.tokenStore);
  } finally {
    await store.close();
  }
  const redis = tokenStore.redis;
  const mode = redis.cluster ? 'Redis Cluster' : redis.sentinels ? 'Redis behind Sentinel' : 'Redis';
  return passed('token-store', `${mode} answered with the configured credentials${redis.tls ? ' over TLS' : ''}${encryption}`);
}
