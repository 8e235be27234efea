import type { JsonObject } from '@backstage/types';
import { spectrocloud } from '../../src';
import { startLegacyBackend, userEntity, type LegacyBackend } from './legacyBackend';
import { registerSecret } from './secrets';
import { startStandardOidcServer, type StandardOidcServer } from './standardOidcServer';

/**
 * panva's oidc-provider as a standard issuer, and a legacy backend with our
 * provider pointed at it by its authorization URL only: token, JWKS and
 * revocation endpoints must come from discovery.
 */

export const CLIENT_ID = 'backstage-standard-oidc';
// Characters that must be form-encoded in a Basic header (RFC 6749 section 2.3.1).
export const CLIENT_SECRET = 'std:oidc/secret+with %special&chars=9f2c41';
registerSecret(CLIENT_SECRET);

export const ACCOUNTS = [
  { sub: 'acct-alice-0001', email: 'alice@example.com', given_name: 'Alice', family_name: 'Example' },
  { sub: 'acct-bob-0002', email: 'bob@example.com', name: 'Bob Builder' },
];
// With uids, so that a test can take a user out of the catalog (removeEntityByUid).
const CATALOG = [userEntity('alice', 'alice@example.com'), userEntity('bobby', 'bob@example.com')].map(entity => ({
  ...entity,
  metadata: { ...entity.metadata, uid: `uid-${entity.metadata.name}` },
}));

export interface StandardIssuerFixture {
  op: StandardOidcServer;
  backend: LegacyBackend;
  clientId: string;
  close(): Promise<void>;
}

export interface StandardIssuerFixtureOptions {
  /** use oidc-provider's client_secret_basic client */
  basic?: boolean;
  /**
   * Default 'consent': OIDC Core 11 grants offline_access (and so a refresh
   * token) only with prompt=consent, and oidc-provider enforces that.
   */
  prompt?: 'consent' | 'login' | null;
  rotateRefreshTokens?: boolean;
  /** short-lived ID tokens (seconds); our clock tolerance is then 0 so expiry is exact */
  idTokenTtl?: number;
  /** the provider's `refreshGrantInterval` (seconds); 0 makes every /refresh a refresh grant. Default: the provider's (60). */
  refreshGrantInterval?: number;
  /** the provider's `sessionDuration` (Backstage's key), e.g. '2h' */
  sessionDuration?: string;
}

/** oidc-provider, and a legacy backend with our provider pointed at it by its authorization URL only. */
export async function startStandardIssuerFixture(options: StandardIssuerFixtureOptions = {}): Promise<StandardIssuerFixture> {
  let op: StandardOidcServer | undefined;
  const clientId = options.basic ? `${CLIENT_ID}-basic` : CLIENT_ID;
  const prompt = options.prompt === undefined ? 'consent' : options.prompt;
  const environment: JsonObject = {
    ...(prompt ? { prompt } : {}),
    ...(options.basic ? { tokenEndpointAuthMethod: 'client_secret_basic' } : {}),
    ...(options.idTokenTtl ? { clockTolerance: 0 } : {}),
    ...(options.refreshGrantInterval !== undefined ? { refreshGrantInterval: options.refreshGrantInterval } : {}),
    ...(options.sessionDuration ? { sessionDuration: options.sessionDuration } : {}),
  };
  const backend = await startLegacyBackend({
    providerFactories: { spectrocloud: spectrocloud.create() },
    users: CATALOG,
    providers: async backendUrl => {
      op = await startStandardOidcServer({
        redirectUris: [`${backendUrl}/api/auth/spectrocloud/handler/frame`],
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        accounts: ACCOUNTS,
        rotateRefreshTokens: options.rotateRefreshTokens,
        idTokenTtl: options.idTokenTtl,
      });
      return {
        spectrocloud: {
          development: {
            clientId,
            clientSecret: CLIENT_SECRET,
            // Nothing but the authorization URL: token and JWKS endpoints must come from discovery.
            authorizationUrl: op.authorizationUrl,
            additionalScopes: ['offline_access'],
            signIn: { resolvers: [{ resolver: 'emailMatchingUserEntityProfileEmail' }] },
            ...environment,
          },
        },
      };
    },
  });
  return {
    op: op!,
    backend,
    clientId,
    async close() {
      await backend.close();
      await op?.close();
    },
  };
}
