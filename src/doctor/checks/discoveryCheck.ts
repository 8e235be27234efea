import { deriveEndpoints } from '../../oidc/deriveEndpoints';
import { EndpointResolver, type ResolvedEndpoints } from '../../oidc/EndpointResolver';
import { failed, passed, type CheckResult } from '../DoctorCheck';
import { FIXES } from '../fixes';
import type { DeploymentSettings } from './configCheck';

const WELL_KNOWN = '/.well-known/openid-configuration';

/**
 * `discovery` and `issuer`: the endpoints through the provider's own
 * resolver (config, then discovery, then derivation). The provider falls
 * back to derived endpoints when discovery fails; the doctor reports that
 * fallback, because Kubernetes API servers need discovery to validate the same
 * ID tokens. The issuer must equal the one discovery was fetched for (OIDC
 * Discovery 1.0, section 4.3), or every ID token fails its `iss` check.
 */
export async function checkDiscovery(
  deployment: DeploymentSettings,
): Promise<{ results: CheckResult[]; endpoints: ResolvedEndpoints }> {
  const { settings } = deployment;
  const warnings: string[] = [];
  const endpoints = await new EndpointResolver(settings, { warn: message => warnings.push(message) }).resolve();
  const results: CheckResult[] = [];

  if (endpoints.source === 'config') {
    results.push(passed('discovery', 'not used: issuer, tokenUrl and jwksUrl are set in config'));
  } else if (endpoints.source === 'discovery') {
    results.push(passed('discovery', `${metadataUrlOf(deployment)} answered (token, JWKS${endpoints.userinfoUrl ? ', userinfo' : ''}${endpoints.revocationUrl ? ', revocation' : ''} endpoints)`));
  } else {
    results.push(
      failed('discovery', `${warnings[0] ?? 'SpectroCloud discovery failed'}; the provider would fall back to derived endpoints`, FIXES.discovery),
    );
  }

  const expected = expectedIssuer(deployment);
  if (endpoints.source === 'discovery' && endpoints.issuer !== expected) {
    results.push(
      failed('issuer', `the discovery document names issuer '${endpoints.issuer}', expected '${expected}'; every ID token would fail its "iss" check`, FIXES.issuer),
    );
  } else {
    results.push(passed('issuer', `${endpoints.issuer} (from ${endpoints.source === 'discovery' ? 'the discovery document' : endpoints.source})`));
  }
  return { results, endpoints };
}

function metadataUrlOf({ settings }: DeploymentSettings): string {
  return settings.metadataUrl ?? `${settings.issuer ?? deriveEndpoints(settings.authorizationUrl).issuer}${WELL_KNOWN}`;
}

/** Configured issuer, else the URL the discovery document was fetched from, minus the well-known suffix. */
function expectedIssuer(deployment: DeploymentSettings): string {
  const { settings } = deployment;
  if (settings.issuer) return settings.issuer;
  const metadataUrl = metadataUrlOf(deployment);
  return metadataUrl.endsWith(WELL_KNOWN) ? metadataUrl.slice(0, -WELL_KNOWN.length) : deriveEndpoints(settings.authorizationUrl).issuer;
}
