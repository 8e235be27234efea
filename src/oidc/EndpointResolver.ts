import { deriveEndpoints } from './deriveEndpoints';
import type { SpectroCloudEnvironmentConfig } from '../config/readEnvironmentConfig';

export interface ResolvedEndpoints {
  issuer: string;
  tokenUrl: string;
  jwksUrl: string;
  /** RFC 7009 revocation endpoint, when discovery names one */
  revocationUrl?: string;
  /** OIDC userinfo endpoint, when discovery names one */
  userinfoUrl?: string;
  /** OIDC RP-initiated logout endpoint, when discovery names one */
  endSessionUrl?: string;
  /** where the values came from, for diagnostics */
  source: 'config' | 'discovery' | 'derived';
}

export interface EndpointResolverLogger {
  warn(message: string): void;
}

/** How long a failed discovery is trusted before it is tried again. */
const RETRY_AFTER_FAILURE_MS = 5 * 60_000;

/**
 * Resolves the issuer, token and JWKS endpoints once: explicit config wins,
 * then `.well-known/openid-configuration`, then derivation from the
 * authorization URL. One discovery request is in flight at a time; a
 * failed discovery falls back to derived endpoints and is retried later.
 */
export class EndpointResolver {
  private pending?: Promise<ResolvedEndpoints>;
  private resolvedAt = 0;

  constructor(
    private readonly config: Pick<
      SpectroCloudEnvironmentConfig,
      'authorizationUrl' | 'tokenUrl' | 'jwksUrl' | 'metadataUrl' | 'issuer' | 'timeout'
    >,
    private readonly logger?: EndpointResolverLogger,
    private readonly clock: () => number = Date.now,
  ) {}

  resolve(): Promise<ResolvedEndpoints> {
    if (this.pending) return this.pending;
    this.pending = this.discover().then(endpoints => {
      this.resolvedAt = this.clock();
      if (endpoints.source === 'derived') {
        // Let a later call try discovery again instead of caching a fallback forever.
        setTimeout(() => this.expireFallback(), RETRY_AFTER_FAILURE_MS).unref();
      }
      return endpoints;
    });
    return this.pending;
  }

  private expireFallback() {
    if (this.clock() - this.resolvedAt >= RETRY_AFTER_FAILURE_MS) this.pending = undefined;
  }

  private async discover(): Promise<ResolvedEndpoints> {
    const derived = deriveEndpoints(this.config.authorizationUrl);
    const explicit = {
      issuer: this.config.issuer,
      tokenUrl: this.config.tokenUrl,
      jwksUrl: this.config.jwksUrl,
    };
    if (explicit.issuer && explicit.tokenUrl && explicit.jwksUrl && !this.config.metadataUrl) {
      return { issuer: explicit.issuer, tokenUrl: explicit.tokenUrl, jwksUrl: explicit.jwksUrl, source: 'config' };
    }
    const metadataUrl = this.config.metadataUrl ?? `${explicit.issuer ?? derived.issuer}/.well-known/openid-configuration`;
    const metadata = await this.fetchMetadata(metadataUrl);
    if (metadata) {
      return {
        issuer: explicit.issuer ?? metadata.issuer,
        tokenUrl: explicit.tokenUrl ?? metadata.token_endpoint,
        jwksUrl: explicit.jwksUrl ?? metadata.jwks_uri,
        revocationUrl: optionalUrl(metadata.revocation_endpoint),
        userinfoUrl: optionalUrl(metadata.userinfo_endpoint),
        endSessionUrl: optionalUrl(metadata.end_session_endpoint),
        source: 'discovery',
      };
    }
    return {
      issuer: explicit.issuer ?? derived.issuer,
      tokenUrl: explicit.tokenUrl ?? derived.tokenUrl,
      jwksUrl: explicit.jwksUrl ?? derived.jwksUrl,
      source: 'derived',
    };
  }

  private async fetchMetadata(
    url: string,
  ): Promise<DiscoveryDocument | undefined> {
    try {
      const response = await fetch(url, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(this.config.timeout),
      });
      if (!response.ok) {
        this.logger?.warn(`SpectroCloud discovery answered HTTP ${response.status}; deriving endpoints from authorizationUrl`);
        return undefined;
      }
      const body = (await response.json()) as Record<string, unknown>;
      const fields = ['issuer', 'token_endpoint', 'jwks_uri'] as const;
      if (fields.some(field => typeof body[field] !== 'string')) {
        this.logger?.warn('SpectroCloud discovery document lacks issuer, token_endpoint or jwks_uri; deriving endpoints');
        return undefined;
      }
      return body as unknown as DiscoveryDocument;
    } catch (error) {
      this.logger?.warn(`SpectroCloud discovery failed (${(error as Error).name}); deriving endpoints from authorizationUrl`);
      return undefined;
    }
  }
}

interface DiscoveryDocument {
  issuer: string;
  token_endpoint: string;
  jwks_uri: string;
  revocation_endpoint?: unknown;
  userinfo_endpoint?: unknown;
  end_session_endpoint?: unknown;
}

function optionalUrl(value: unknown): string | undefined {
  return typeof value === 'string' && /^https?:\/\//.test(value) ? value : undefined;
}
