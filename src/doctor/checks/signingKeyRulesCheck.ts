import type { SpectroCloudAuthError } from '../../errors';
import type { OutboundClient } from '../../http/OutboundClient';
import type { ResolvedEndpoints } from '../../oidc/EndpointResolver';
import { failed, passed, type CheckResult } from '../DoctorCheck';
import { FIXES } from '../fixes';
import type { DeploymentSettings } from './configCheck';
import { readPublishedKeys, type PublishedKeys } from './jwksCheck';

/**
 * `signing-keys`: each published key the key rules (src/oidc/signingKeyRules.ts)
 * refuse, by kid and rule, so that a tenant's weak or misdeclared key shows
 * up before a sign-in fails with ERR_ID_TOKEN_KEY_REFUSED. A key published
 * for encryption is named but does not fail the check: it is simply not a
 * signing key. Never the key material.
 */
export async function checkSigningKeyRules(deployment: DeploymentSettings, http: OutboundClient, endpoints: ResolvedEndpoints): Promise<CheckResult> {
  let keys: PublishedKeys;
  try {
    keys = await readPublishedKeys(deployment, http, endpoints);
  } catch (error) {
    const { code, message } = error as SpectroCloudAuthError;
    return failed('signing-keys', `${message} [${code}]`, FIXES.jwks);
  }
  const refused = keys.filter(key => key.refused);
  const named = (list: PublishedKeys) => list.map(key => `${key.kid ?? '(no kid)'}: ${key.refused}`).join(', ');
  const signingRefused = refused.filter(key => key.refused !== 'published-for-encryption');
  if (signingRefused.length > 0) {
    return failed('signing-keys', `${refused.length} of ${keys.length} published key(s) would be refused (${named(refused)})`, FIXES.signingKeys);
  }
  const encryption = refused.length > 0 ? `; not for signatures: ${named(refused)}` : '';
  return passed('signing-keys', `${keys.length - refused.length} of ${keys.length} published key(s) meet the key rules${encryption}`);
}
