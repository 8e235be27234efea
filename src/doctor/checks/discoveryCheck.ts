import { deriveEndpoints } from '../../oidc/deriveEndpoints';
import { EndpointResolver, type ResolvedEndpoints } from '../../oidc/EndpointResolver';
import { readDiscoveryDocument } from '../../oidc/readDiscoveryDocument';
import type { SpectroCloudAuthError } from '../../errors';
import type { OutboundClient } from '../../http/OutboundClient';
import { failed, passed, type CheckResult } from '../DoctorCheck';
import { FIXES } from '../fixes';
import type { DeploymentSettings } from './configCheck';

/**
 * `discovery` and `issuer`: the endpoints through the provider's own
 * resolver and outbound client (config, then discovery, then derivation).
 * The provider falls back to derived endpoints when discovery cannot be
 * read; the doctor reports that fallback, because Kubernetes API servers need
 * discovery to validate the same ID tokens. A document naming another issuer
 * (OIDC Discovery 1.0 section 4.3) is refused by the provider, so every
 * sign-in fails: the later checks then use the derived endpoints.
 */
export async function checkDiscovery(
  { settings }: DeploymentSettings,
  http: OutboundClient,
): Promise<{ results: CheckResult[]; endpoints: ResolvedEndpoints }> {
  const warnings: string[] = [];
  const resolver = new EndpointResolver(settings, http, { warn: message => warnings.push(message) });
  let endpoints: ResolvedEndpoints;
  try {
    endpoints = await resolver.resolve();
  } catch (error) {
    const { code, message } = error as SpectroCloudAuthError;
    const derived = deriveEndpoints(settings.authorizationUrl);
    const refusedIssuer = /another issuer/.test(message);
    return {
      results: [
        refusedIssuer ? passed('discovery', 'the discovery document answered') : failed('discovery', `${message} [${code}]`, FIXES.discovery),
        refusedIssuer
          ? failed('issuer', `${message} [${code}]; expected '${settings.issuer ?? derived.issuer}'`, FIXES.issuer)
          : passed('issuer', `${settings.issuer ?? derived.issuer} (not checked: no usable document)`),
      ],
      endpoints: { issuer: settings.issuer ?? derived.issuer, tokenUrl: settings.tokenUrl ?? derived.tokenUrl, jwksUrl: settings.jwksUrl ?? derived.jwksUrl, source: 'derived' },
    };
  }
  const results: CheckResult[] = [];
  if (endpoints.source === 'config') {
    results.push(passed('discovery', 'not used: issuer, tokenUrl and jwksUrl are set in config'));
  } else if (endpoints.source === 'discovery') {
    const extras = [endpoints.userinfoUrl && 'userinfo', endpoints.revocationUrl && 'revocation'].filter(Boolean);
    results.push(passed('discovery', `answered with token and JWKS endpoints${extras.length ? ` (and ${extras.join(', ')})` : ''}`));
  } else {
    results.push(failed('discovery', `${await whyUnavailable(settings, http) ?? warnings[0] ?? 'SpectroCloud discovery failed'}; sign-in would use derived endpoints`, FIXES.discovery));
  }
  results.push(passed('issuer', `${endpoints.issuer} (${endpoints.source === 'discovery' ? 'the discovery document names the issuer it was fetched for' : `from ${endpoints.source}`})`));
  return { results, endpoints };
}

/** The resolver logs only the code; the person on call wants the reason (HTTP status, refused, timed out). */
async function whyUnavailable(settings: DeploymentSettings['settings'], http: OutboundClient): Promise<string | undefined> {
  const documentUrl = settings.metadataUrl ?? `${settings.issuer ?? deriveEndpoints(settings.authorizationUrl).issuer}/.well-known/openid-configuration`;
  const outcome = await readDiscoveryDocument(http, documentUrl, settings.issuer ?? deriveEndpoints(settings.authorizationUrl).issuer);
  return outcome.kind === 'document' ? undefined : `${outcome.error.message} [${outcome.error.code}]`;
}
