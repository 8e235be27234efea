import type { Request } from 'express';
import type { SpectroCloudEnvironmentConfig } from '../config/readEnvironmentConfig';
import type { OutboundClient } from '../http/OutboundClient';
import type { IdTokenVerifier } from '../oidc/IdTokenVerifier';
import { SpectroCloudStrategy } from './SpectroCloudStrategy';

/**
 * One strategy per token URL: the URL comes from the endpoint resolver and
 * can change when discovery is re-read, and a strategy fixes it at construction.
 */
export function strategyPerTokenUrl(
  config: SpectroCloudEnvironmentConfig,
  verifier: IdTokenVerifier,
  expectedNonce: (req: Request) => string,
  http: OutboundClient,
): (tokenUrl: string) => SpectroCloudStrategy {
  const strategies = new Map<string, SpectroCloudStrategy>();
  return tokenUrl => {
    let strategy = strategies.get(tokenUrl);
    if (!strategy) {
      strategy = new SpectroCloudStrategy({
        clientID: config.clientId,
        clientSecret: config.clientSecret,
        authorizationURL: config.authorizationUrl,
        tokenURL: tokenUrl,
        callbackURL: config.callbackUrl,
        scope: config.scope,
        prompt: config.prompt,
        tokenEndpointAuthMethod: config.tokenEndpointAuthMethod,
        verifier,
        maxAge: config.maxAge,
        // acr_values is space-separated, in order of preference (OIDC Core 3.1.2.1).
        acrValues: config.startUrlSearchParams.acr_values?.split(' ').filter(Boolean),
        expectedNonce,
        http,
      });
      strategies.set(tokenUrl, strategy);
    }
    return strategy;
  };
}
