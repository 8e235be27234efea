import type { Request } from 'express';
import type { SpectroCloudEnvironmentConfig } from '../config/readEnvironmentConfig';
import { SpectroCloudRequestError } from '../errors';
import type { OutboundClient } from '../http/OutboundClient';
import { runStrategy } from './runStrategy';
import { SpectroCloudStrategy, type SpectroCloudAuthorizeOptions, type TokenResponse } from './SpectroCloudStrategy';

type ClientSettings = Pick<
  SpectroCloudEnvironmentConfig,
  'clientId' | 'clientSecret' | 'authorizationUrl' | 'callbackUrl' | 'scope' | 'prompt' | 'tokenEndpointAuthMethod' | 'timeout'
>;

/**
 * The sign-in service's strategy: SpectroCloudStrategy's requests and hooks,
 * but its verify callback hands the token response back unverified, because
 * the service verifies the ID token itself, in view (`verifyIdToken`).
 */
class CodeExchangeStrategy extends SpectroCloudStrategy {
  protected override tokenResponse(_req: Request, response: TokenResponse, done: (error: unknown, user?: unknown) => void): void {
    done(null, response);
  }
}

/**
 * SpectroCloud's authorization and token endpoints for the sign-in service,
 * through the passport-oauth2 strategy (the shape both backends share): one
 * strategy per token URL, since discovery may move it and a strategy fixes it
 * at construction.
 */
export class PassportOAuth2Client {
  private readonly strategies = new Map<string, CodeExchangeStrategy>();

  constructor(
    private readonly settings: ClientSettings,
    private readonly http: OutboundClient,
  ) {}

  async authorizationUrl(req: Request, tokenUrl: string, params: SpectroCloudAuthorizeOptions): Promise<{ url: string; status: number }> {
    const outcome = await runStrategy(this.strategyFor(tokenUrl), req, params, strategyBackstopMs(this.settings.timeout));
    if (outcome.kind !== 'redirect') throw new SpectroCloudRequestError('ERR_AUTHORIZE_URL', 'Could not build the SpectroCloud sign-in URL');
    return { url: outcome.url, status: outcome.status };
  }

  async exchangeCode(req: Request, tokenUrl: string, codeVerifier: string): Promise<TokenResponse> {
    const outcome = await runStrategy(this.strategyFor(tokenUrl), req, { codeVerifier }, strategyBackstopMs(this.settings.timeout));
    if (outcome.kind !== 'success') {
      throw new SpectroCloudRequestError('ERR_CALLBACK_UNEXPECTED', 'The sign-in callback did not complete the code exchange; start the sign-in again');
    }
    return outcome.user as TokenResponse;
  }

  refreshGrant(tokenUrl: string, refreshToken: string, scope: string | undefined): Promise<TokenResponse> {
    return this.strategyFor(tokenUrl).refreshTokens(refreshToken, scope || undefined);
  }

  private strategyFor(tokenUrl: string): CodeExchangeStrategy {
    let strategy = this.strategies.get(tokenUrl);
    if (!strategy) {
      const { settings } = this;
      strategy = new CodeExchangeStrategy({
        clientID: settings.clientId,
        clientSecret: settings.clientSecret,
        authorizationURL: settings.authorizationUrl,
        tokenURL: tokenUrl,
        callbackURL: settings.callbackUrl,
        scope: settings.scope,
        prompt: settings.prompt,
        tokenEndpointAuthMethod: settings.tokenEndpointAuthMethod,
        // Never asked: this strategy does not verify (the service does, with the browser binding's nonce).
        expectedNonce: () => '',
        http: this.http,
      });
      this.strategies.set(tokenUrl, strategy);
    }
    return strategy;
  }
}

/**
 * Each request to SpectroCloud ends at its own deadline (OutboundClient) with
 * an error naming the endpoint; a code exchange makes one (the service
 * verifies afterwards), so the whole run's timer is only a backstop behind it.
 */
export function strategyBackstopMs(requestTimeoutMs: number): number {
  return 2 * requestTimeoutMs + 1_000;
}
