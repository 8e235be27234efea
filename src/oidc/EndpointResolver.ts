import { deriveEndpoints } from './deriveEndpoints';
import { readDiscoveryDocument } from './readDiscoveryDocument';
import type { SpectroCloudEnvironmentConfig } from '../config/readEnvironmentConfig';
import type { OutboundClient } from '../http/OutboundClient';
import type { SpectroCloudLogger } from '../logger';

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
  /** RFC 9207: discovery promises `iss` in every authorization response, so a missing one is refused */
  authorizationResponseIssRequired?: boolean;
  /** where the values came from, for diagnostics */
  source: 'config' | 'discovery' | 'derived';
}

/** How long derived endpoints (discovery unreachable) are used before discovery is tried again. */
const RETRY_AFTER_FAILURE_MS = 5 * 60_000;
/** A refused document is read again after this long (the tenant may have fixed it), not at every sign-in. */
const REREAD_REFUSED_AFTER_MS = 30_000;

type ResolverConfig = Pick<
  SpectroCloudEnvironmentConfig,
  'authorizationUrl' | 'tokenUrl' | 'jwksUrl' | 'metadataUrl' | 'issuer' | 'discoveryRefreshInterval'
>;

/**
 * Resolves the issuer, token and JWKS endpoints: explicit config wins,
 * then `.well-known/openid-configuration`, then derivation from the
 * authorization URL. The discovery document is read again every
 * `discoveryRefreshInterval` (by the injected clock, on the next call), so a
 * tenant that moves endpoints or keys is followed without a restart; one
 * read is in flight at a time. A document naming another issuer is refused
 * (ERR_DISCOVERY, OIDC Discovery 1.0 section 4.3); an unreachable one falls
 * back to the last good document, else to derived endpoints, and is retried.
 */
export class EndpointResolver {
  private current?: { endpoints: ResolvedEndpoints; until: number };
  private pending?: Promise<ResolvedEndpoints>;
  private refusal?: { error: Error; until: number };

  constructor(
    private readonly config: ResolverConfig,
    private readonly http: OutboundClient,
    private readonly logger?: Pick<SpectroCloudLogger, 'warn'>,
    private readonly clock: () => number = Date.now,
  ) {}

  resolve(): Promise<ResolvedEndpoints> {
    if (this.refusal && this.clock() < this.refusal.until) return Promise.reject(this.refusal.error);
    const fresh = this.resolved();
    if (fresh) return Promise.resolve(fresh);
    if (!this.pending) {
      this.pending = this.discover().finally(() => (this.pending = undefined));
    }
    return this.pending;
  }

  /**
   * What resolve() would answer at once, without waiting: the endpoints kept
   * and still within their interval, unless a refusal stands. Otherwise
   * undefined (ask resolve()). For the verifier's path without a promise.
   */
  resolved(): ResolvedEndpoints | undefined {
    if (this.refusal && this.clock() < this.refusal.until) return undefined;
    if (this.current && this.clock() < this.current.until) return this.current.endpoints;
    return undefined;
  }

  private async discover(): Promise<ResolvedEndpoints> {
    const derived = deriveEndpoints(this.config.authorizationUrl);
    const { issuer, tokenUrl, jwksUrl, metadataUrl } = this.config;
    if (issuer && tokenUrl && jwksUrl && !metadataUrl) {
      return this.keep({ issuer, tokenUrl, jwksUrl, source: 'config' }, Number.POSITIVE_INFINITY);
    }
    const expectedIssuer = issuer ?? (metadataUrl ? issuerOfMetadataUrl(metadataUrl) : undefined) ?? derived.issuer;
    const documentUrl = metadataUrl ?? `${issuer ?? derived.issuer}/.well-known/openid-configuration`;
    this.refusal = undefined;
    const outcome = await readDiscoveryDocument(this.http, documentUrl, expectedIssuer);
    if (outcome.kind === 'refused') {
      // A document for another issuer is an attack or a misconfiguration: never fall back from it.
      this.current = undefined;
      this.refusal = { error: outcome.error, until: this.clock() + REREAD_REFUSED_AFTER_MS };
      throw outcome.error;
    }
    if (outcome.kind === 'unavailable') {
      if (this.current?.endpoints.source === 'discovery') {
        this.logger?.warn(`SpectroCloud discovery could not be read again (${outcome.error.code}); keeping the endpoints read before`);
        return this.keep(this.current.endpoints, RETRY_AFTER_FAILURE_MS);
      }
      this.logger?.warn(`SpectroCloud discovery failed (${outcome.error.code}); deriving endpoints from authorizationUrl`);
      return this.keep(
        { issuer: issuer ?? derived.issuer, tokenUrl: tokenUrl ?? derived.tokenUrl, jwksUrl: jwksUrl ?? derived.jwksUrl, source: 'derived' },
        RETRY_AFTER_FAILURE_MS,
      );
    }
    const { document } = outcome;
    return this.keep(
      {
        issuer: issuer ?? document.issuer,
        tokenUrl: tokenUrl ?? document.tokenEndpoint,
        jwksUrl: jwksUrl ?? document.jwksUri,
        revocationUrl: document.revocationEndpoint,
        userinfoUrl: document.userinfoEndpoint,
        endSessionUrl: document.endSessionEndpoint,
        authorizationResponseIssRequired: document.authorizationResponseIssParameterSupported,
        source: 'discovery',
      },
      this.config.discoveryRefreshInterval * 1000,
    );
  }

  private keep(endpoints: ResolvedEndpoints, forMs: number): ResolvedEndpoints {
    this.current = { endpoints, until: this.clock() + forMs };
    return endpoints;
  }
}

/** `https://host/x/.well-known/openid-configuration` is the document of issuer `https://host/x` (Discovery 1.0 section 4). */
function issuerOfMetadataUrl(metadataUrl: string): string | undefined {
  const suffix = '/.well-known/openid-configuration';
  const url = new URL(metadataUrl);
  if (!url.pathname.endsWith(suffix) || url.search) return undefined;
  return `${url.origin}${url.pathname.slice(0, -suffix.length)}`;
}
