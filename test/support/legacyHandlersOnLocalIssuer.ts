import type { AuthResolverContext } from '@backstage/plugin-auth-node';
import { ConfigReader } from '@backstage/config';
import { expect } from 'vitest';
import { createSignInService } from '../../src/composition/createSignInService';
import { readEnvironmentConfig, type SpectroCloudEnvironmentConfig } from '../../src/config/readEnvironmentConfig';
import { SpectroCloudAuthError } from '../../src/errors';
import { SpectroCloudAuthHandlers } from '../../src/legacy/SpectroCloudAuthHandlers';
import { startLocalIssuer, type LocalIssuer } from './localIssuer';
import { createTestLogger } from './logger';
import { registerSecret } from './secrets';

/*
 * The legacy `SpectroCloudAuthHandlers` (the OAuthHandlers of `spectrocloud.create()`) over
 * `createSignInService`, driven directly on a frozen clock against a local issuer on loopback (real
 * RS256 keys, a real token endpoint the test controls). No resolver or auth handler is configured,
 * so the resolver context is never consulted. Used by signIn/redirectChecks.test.ts and
 * refresh/refreshChecks.test.ts.
 */
export const CLIENT_ID = 'unit-client';
export const CLIENT_SECRET = 'unit-client-secret-9d2f61a8c4';
registerSecret(CLIENT_SECRET);
export const APP_URL = 'https://backstage.example.com';
export const AUTH_BASE_URL = 'https://backstage.example.com/api/auth';
export const NOW_MS = Date.UTC(2026, 10, 30, 12, 0, 0);
const NOW = NOW_MS / 1000;

/**
 * The `development` environment of provider `spectrocloud` on the local issuer, read as the provider reads
 * it: its endpoints given (no discovery), no clock tolerance, a 5 s deadline; `extra` adds or overrides keys.
 */
export function readLocalIssuerEnvironment(
  issuer: LocalIssuer,
  client: { clientId: string; clientSecret: string; authBaseUrl: string },
  extra: Record<string, number | string | boolean> = {},
): SpectroCloudEnvironmentConfig {
  return readEnvironmentConfig(
    new ConfigReader({
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      authorizationUrl: `${issuer.issuer}/auth`,
      issuer: issuer.issuer,
      tokenUrl: issuer.tokenUrl,
      jwksUrl: issuer.jwksUrl,
      clockTolerance: 0,
      timeout: 5000,
      ...extra,
    }),
    { path: 'auth.providers.spectrocloud.development', authBaseUrl: client.authBaseUrl, providerId: 'spectrocloud' },
  );
}

export interface LegacyHandlersOnLocalIssuer {
  issuer: LocalIssuer;
  handlers: SpectroCloudAuthHandlers;
  /** the development environment's settings, read as the provider reads them */
  config: SpectroCloudEnvironmentConfig;
  /** a valid ID token of the issuer for `sub` (`<sub>@example.com`, ten minutes left) */
  idToken(sub: string): string;
  logLines: string[];
  close(): Promise<void>;
}

export async function startLegacyHandlersOnLocalIssuer(): Promise<LegacyHandlersOnLocalIssuer> {
  const issuer = await startLocalIssuer();
  const logLines: string[] = [];
  const config = readLocalIssuerEnvironment(issuer, { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, authBaseUrl: AUTH_BASE_URL });
  const handlers = new SpectroCloudAuthHandlers({
    service: createSignInService({
      providerId: 'spectrocloud',
      environment: 'development',
      config,
      appUrl: APP_URL,
      authBaseUrl: AUTH_BASE_URL,
      logger: createTestLogger(logLines),
      clock: () => NOW_MS,
    }),
    resolverContext: {} as AuthResolverContext,
  });
  return {
    issuer,
    handlers,
    config,
    idToken: sub => issuer.sign({ iss: issuer.issuer, aud: CLIENT_ID, sub, email: `${sub}@example.com`, iat: NOW - 60, exp: NOW + 600 }),
    logLines,
    close: () => issuer.close(),
  };
}

/** The error `promise` rejects with, asserted to be one of ours. */
export async function failure(promise: Promise<unknown>): Promise<SpectroCloudAuthError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SpectroCloudAuthError);
  return error as SpectroCloudAuthError;
}
