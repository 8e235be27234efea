import type { SpectroCloudAuthError } from '../../errors';
import type { OutboundClient } from '../../http/OutboundClient';
import { createSignInServiceDeps } from '../../composition/createSignInService';
import type { IdTokenVerifier } from '../../oidc/IdTokenVerifier';
import type { ResolvedEndpoints } from '../../oidc/EndpointResolver';
import { failed, passed, type CheckResult } from '../DoctorCheck';
import { FIXES } from '../fixes';
import type { DeploymentSettings } from './configCheck';

/** The published keys as the provider's own verifier reads them, on the doctor's client, with the endpoints the discovery check found. */
export function readPublishedKeys(deployment: DeploymentSettings, http: OutboundClient, endpoints: ResolvedEndpoints): Promise<PublishedKeys> {
  const { verifier } = createSignInServiceDeps({
    providerId: deployment.providerId,
    environment: deployment.environment,
    config: deployment.settings,
    appUrl: deployment.appUrl,
    authBaseUrl: deployment.authBaseUrl,
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
    http,
    endpoints: async () => endpoints,
    warmDiscovery: false,
  });
  return verifier.publishedSigningKeys();
}
export type PublishedKeys = Awaited<ReturnType<IdTokenVerifier['publishedSigningKeys']>>;

/** `jwks`: the signing keys, read by the provider's own verifier; at least one must verify an allowed algorithm. */
export async function checkJwks(deployment: DeploymentSettings, http: OutboundClient, endpoints: ResolvedEndpoints): Promise<CheckResult> {
  const { settings } = deployment;
  let keys: PublishedKeys;
  try {
    keys = await readPublishedKeys(deployment, http, endpoints);
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
