import type { SpectroCloudAuthError } from '../../errors';
import type { OutboundClient } from '../../http/OutboundClient';
import { IdTokenVerifier } from '../../oidc/IdTokenVerifier';
import type { ResolvedEndpoints } from '../../oidc/EndpointResolver';
import { failed, passed, type CheckResult } from '../DoctorCheck';
import { FIXES } from '../fixes';
import type { DeploymentSettings } from './configCheck';

/** `jwks`: the signing keys, read by the provider's own verifier; at least one must verify an allowed algorithm. */
export async function checkJwks({ settings }: DeploymentSettings, http: OutboundClient, endpoints: ResolvedEndpoints): Promise<CheckResult> {
  const verifier = new IdTokenVerifier({
    clientId: settings.clientId,
    algorithms: settings.algorithms,
    clockTolerance: settings.clockTolerance,
    http,
    maxIdTokenBytes: settings.maxIdTokenBytes,
    jwksCacheMaxAgeMs: settings.jwksCacheMaxAge * 1000,
    jwksRefetchIntervalMs: settings.jwksRefetchInterval * 1000,
    endpoints: async () => endpoints,
  });
  let keys: Awaited<ReturnType<IdTokenVerifier['publishedSigningKeys']>>;
  try {
    keys = await verifier.publishedSigningKeys();
  } catch (error) {
    const { code, message } = error as SpectroCloudAuthError;
    return failed('jwks', `${message} [${code}]`, FIXES.jwks);
  }
  const describe = (key: (typeof keys)[number]) => `${key.kid ?? '(no kid)'} ${key.alg ?? key.keyType ?? '?'}`;
  const usable = keys.filter(key => key.usable);
  if (usable.length === 0) {
    return failed(
      'jwks',
      `none of the ${keys.length} published key(s) (${keys.map(describe).join(', ')}) fits the allowed algorithms (${settings.algorithms.join(', ')})`,
      FIXES.jwksKeys,
    );
  }
  return passed('jwks', `${usable.length} of ${keys.length} key(s) usable with ${settings.algorithms.join(', ')} (${usable.map(describe).join(', ')})`);
}
