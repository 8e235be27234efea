import type { Config } from '@backstage/config';
import { SpectroCloudConfigError } from '../errors';
import type { ProxySetting } from '../http/connectionPool';
import { ENVIRONMENT_KEYS } from './environmentKeys';
import { readOptional } from './readOptional';
import { readCertificates, readProxy } from './readOutboundSettings';
import { readSessionDuration } from './readSessionDuration';
import { readStartUrlSearchParams } from './readStartUrlSearchParams';

export type TokenEndpointAuthMethod = 'client_secret_post' | 'client_secret_basic';
export type Prompt = 'login' | 'none' | 'consent' | 'select_account';

/** One validated `auth.providers.<providerId>.<environment>` block. */
export interface SpectroCloudEnvironmentConfig {
  clientId: string;
  clientSecret: string;
  authorizationUrl: string;
  callbackUrl: string;
  scope: string;
  prompt?: Prompt;
  tokenUrl?: string;
  jwksUrl?: string;
  metadataUrl?: string;
  issuer?: string;
  /** seconds */
  clockTolerance: number;
  /** milliseconds, for every call to SpectroCloud */
  timeout: number;
  tokenEndpointAuthMethod: TokenEndpointAuthMethod;
  algorithms: string[];
  /** Extra authorization parameters from `startUrlSearchParams` (e.g. acr_values, max_age). */
  startUrlSearchParams: Record<string, string>;
  /** `startUrlSearchParams.max_age` in seconds: the ID token's `auth_time` must be this recent. */
  maxAge?: number;
  /** Hand the frontend SpectroCloud's end-session URL so sign-out ends the SpectroCloud session too. */
  signOutOfSpectroCloud: boolean;
  /** Refuse ID tokens without `email_verified` (`false` is refused either way). Default false. */
  requireVerifiedEmail: boolean;
  /** milliseconds: how long one sign-in may be refreshed (Backstage's `sessionDuration`); undefined = until the ID token expires */
  sessionDurationMs?: number;
  /** bytes: the largest answer read from any SpectroCloud endpoint */
  maxResponseBytes: number;
  /** bytes: the largest ID token accepted, checked before it is parsed */
  maxIdTokenBytes: number;
  /** `'environment'` unless `proxy` is set: a proxy URL, or false for none */
  proxy: ProxySetting;
  /** extra trusted CA certificates (PEM), from `ca` and `caFile` */
  ca: string[];
  /** seconds between two reads of the discovery document */
  discoveryRefreshInterval: number;
  /** seconds a fetched JWKS is used before it is fetched again (a withdrawn key stops working by then) */
  jwksCacheMaxAge: number;
  /** seconds: an unknown `kid` refetches the JWKS at most once per this interval */
  jwksRefetchInterval: number;
  /** seconds: a refresh-token session makes at most one refresh grant per this interval (0: one per refresh) */
  refreshGrantInterval: number;
}

const PROMPTS: Prompt[] = ['login', 'none', 'consent', 'select_account'];
const AUTH_METHODS: TokenEndpointAuthMethod[] = ['client_secret_post', 'client_secret_basic'];
// Asymmetric algorithms only: an HMAC check would need SpectroCloud's secret and invite key confusion.
const ASYMMETRIC_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'];

export const DEFAULT_SCOPE = 'openid profile email';
export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 30;
export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;
export const DEFAULT_MAX_ID_TOKEN_BYTES = 16 * 1024;
export const DEFAULT_DISCOVERY_REFRESH_SECONDS = 3600;
export const DEFAULT_JWKS_CACHE_MAX_AGE_SECONDS = 600;
export const DEFAULT_JWKS_REFETCH_INTERVAL_SECONDS = 60;
export const DEFAULT_REFRESH_GRANT_INTERVAL_SECONDS = 60;

/**
 * Reads and validates one environment block. Every problem names the full
 * config path and what to write instead, so a broken app-config fails when
 * the router is created rather than at a user's first sign-in.
 */
export function readEnvironmentConfig(
  config: Config,
  options: { path: string; authBaseUrl: string; providerId: string },
): SpectroCloudEnvironmentConfig {
  const { path } = options;
  const at = (key: string) => `${path}.${key}`;

  for (const key of config.keys()) {
    if (!(ENVIRONMENT_KEYS as readonly string[]).includes(key)) {
      const hint = ENVIRONMENT_KEYS.find(k => k.toLowerCase() === key.toLowerCase());
      throw new SpectroCloudConfigError(
        `Unknown config key '${at(key)}'. ${hint ? `Did you mean '${hint}'? ` : ''}Valid keys are: ${ENVIRONMENT_KEYS.join(', ')}.`,
      );
    }
  }

  const requiredString = (key: string, example: string): string => {
    const value = readOptional(() => config.getOptionalString(key), at(key), 'a string');
    if (!value || !value.trim()) {
      throw new SpectroCloudConfigError(`Missing required config value '${at(key)}'. Set it, for example: ${key}: ${example}`);
    }
    return value.trim();
  };
  const optionalString = (key: string) =>
    readOptional(() => config.getOptionalString(key), at(key), 'a string')?.trim() || undefined;
  const optionalUrl = (key: string, example: string) => {
    const value = optionalString(key);
    return value === undefined ? undefined : parseHttpUrl(value, at(key), example);
  };

  const clientId = requiredString('clientId', '${SPECTROCLOUD_CLIENT_ID}');
  const clientSecret = requiredString('clientSecret', '${SPECTROCLOUD_CLIENT_SECRET}');
  const authorizationUrl = parseHttpUrl(
    requiredString('authorizationUrl', 'https://console.spectrocloud.com/v1/oidc/tenant/<tenant-id>/auth'),
    at('authorizationUrl'),
    'https://console.spectrocloud.com/v1/oidc/tenant/<tenant-id>/auth',
  );
  const callbackUrl =
    optionalUrl('callbackUrl', `${options.authBaseUrl}/${options.providerId}/handler/frame`) ??
    `${options.authBaseUrl}/${options.providerId}/handler/frame`;

  const scope = readScope(config, at);
  const prompt = optionalString('prompt');
  if (prompt !== undefined && !PROMPTS.includes(prompt as Prompt)) {
    throw new SpectroCloudConfigError(`Invalid '${at('prompt')}' value '${prompt}'. Use one of: ${PROMPTS.join(', ')}, or remove the key.`);
  }
  const tokenEndpointAuthMethod = (optionalString('tokenEndpointAuthMethod') ?? 'client_secret_post') as TokenEndpointAuthMethod;
  if (!AUTH_METHODS.includes(tokenEndpointAuthMethod)) {
    throw new SpectroCloudConfigError(
      `Invalid '${at('tokenEndpointAuthMethod')}' value '${tokenEndpointAuthMethod}'. Use one of: ${AUTH_METHODS.join(', ')}.`,
    );
  }

  const algorithms =
    readOptional(() => config.getOptionalStringArray('algorithms'), at('algorithms'), 'a list of strings') ?? ['RS256'];
  for (const alg of algorithms) {
    if (!ASYMMETRIC_ALGORITHMS.includes(alg)) {
      throw new SpectroCloudConfigError(
        `Invalid '${at('algorithms')}' entry '${alg}'. Only asymmetric algorithms are accepted: ${ASYMMETRIC_ALGORITHMS.join(', ')}.`,
      );
    }
  }

  const startUrl = readStartUrlSearchParams(config, at);
  const signOutOfSpectroCloud =
    readOptional(() => config.getOptionalBoolean('signOutOfSpectroCloud'), at('signOutOfSpectroCloud'), 'true or false') ?? false;

  return {
    clientId,
    clientSecret,
    authorizationUrl,
    callbackUrl,
    scope,
    prompt: prompt as Prompt | undefined,
    tokenUrl: optionalUrl('tokenUrl', 'https://console.spectrocloud.com/v1/oidc/tenant/<tenant-id>/token'),
    jwksUrl: optionalUrl('jwksUrl', 'https://console.spectrocloud.com/v1/oidc/tenant/<tenant-id>/keys'),
    metadataUrl: optionalUrl(
      'metadataUrl',
      'https://console.spectrocloud.com/v1/oidc/tenant/<tenant-id>/.well-known/openid-configuration',
    ),
    issuer: optionalString('issuer'),
    clockTolerance: readNonNegativeNumber(config, 'clockTolerance', at, DEFAULT_CLOCK_TOLERANCE_SECONDS, 'seconds', 300),
    timeout: readNonNegativeNumber(config, 'timeout', at, DEFAULT_TIMEOUT_MS, 'milliseconds', 120_000),
    tokenEndpointAuthMethod,
    algorithms,
    startUrlSearchParams: startUrl.params,
    maxAge: startUrl.maxAge,
    signOutOfSpectroCloud,
    requireVerifiedEmail: readOptional(() => config.getOptionalBoolean('requireVerifiedEmail'), at('requireVerifiedEmail'), 'true or false') ?? false,
    maxResponseBytes: readNonNegativeNumber(config, 'maxResponseBytes', at, DEFAULT_MAX_RESPONSE_BYTES, 'bytes', 64 * 1024 * 1024, 1024),
    maxIdTokenBytes: readNonNegativeNumber(config, 'maxIdTokenBytes', at, DEFAULT_MAX_ID_TOKEN_BYTES, 'bytes', 1024 * 1024, 512),
    proxy: readProxy(config, at),
    ca: readCertificates(config, at),
    discoveryRefreshInterval: readNonNegativeNumber(config, 'discoveryRefreshInterval', at, DEFAULT_DISCOVERY_REFRESH_SECONDS, 'seconds', 7 * 86_400, 1),
    jwksCacheMaxAge: readNonNegativeNumber(config, 'jwksCacheMaxAge', at, DEFAULT_JWKS_CACHE_MAX_AGE_SECONDS, 'seconds', 86_400, 1),
    jwksRefetchInterval: readNonNegativeNumber(config, 'jwksRefetchInterval', at, DEFAULT_JWKS_REFETCH_INTERVAL_SECONDS, 'seconds', 3_600),
    sessionDurationMs: readSessionDuration(config, at('sessionDuration')),
    refreshGrantInterval: readNonNegativeNumber(config, 'refreshGrantInterval', at, DEFAULT_REFRESH_GRANT_INTERVAL_SECONDS, 'seconds', 3_600),
  };
}

function readScope(config: Config, at: (key: string) => string): string {
  const base = readOptional(() => config.getOptionalString('scope'), at('scope'), 'a space-separated string') ?? DEFAULT_SCOPE;
  const additional = config.has('additionalScopes')
    ? readOptional(
        () => {
          const raw = config.getOptional('additionalScopes');
          return typeof raw === 'string' ? raw.split(/[\s,]+/) : config.getOptionalStringArray('additionalScopes');
        },
        at('additionalScopes'),
        'a string or a list of strings',
      )
    : undefined;
  const scopes = [...new Set([...base.split(/\s+/), ...(additional ?? [])].filter(Boolean))];
  if (!scopes.includes('openid')) {
    throw new SpectroCloudConfigError(`'${at('scope')}' must include 'openid' (for example: scope: ${DEFAULT_SCOPE}).`);
  }
  return scopes.join(' ');
}

function readNonNegativeNumber(
  config: Config,
  key: string,
  at: (key: string) => string,
  fallback: number,
  unit: string,
  max: number,
  min = 0,
): number {
  const value = readOptional(() => config.getOptionalNumber(key), at(key), `a number of ${unit}`);
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new SpectroCloudConfigError(`Invalid '${at(key)}' value ${value}. Use a number of ${unit} between ${min} and ${max}.`);
  }
  return value;
}

/** https only, except for loopback hosts used in development and tests. */
export function parseHttpUrl(value: string, path: string, example: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new SpectroCloudConfigError(`Invalid URL in '${path}'. Write an absolute URL, for example: ${example}`);
  }
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname) || url.hostname.endsWith('.localhost');
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new SpectroCloudConfigError(
      `'${path}' must use https (plain http is only accepted for localhost). For example: ${example}`,
    );
  }
  if (url.username || url.password) {
    throw new SpectroCloudConfigError(`'${path}' must not contain credentials; put the client secret in clientSecret.`);
  }
  return url.toString();
}
