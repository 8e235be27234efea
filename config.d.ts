/**
 * Configuration schema of the SpectroCloud Palette provider for the legacy
 * Backstage auth backend. Backstage validates app-config against it.
 */
export interface Config {
  auth?: {
    providers?: {
      /**
       * SpectroCloud Palette OIDC sign-in: `tokenStore` once per provider, and one block per `auth.environment`.
       * Another provider id (a second tenant) takes the same shape; Backstage's schema only knows this id.
       * @visibility frontend
       */
      spectrocloud?: {
        /** Where SpectroCloud's HS256 session tokens are kept server-side. */
        // The one key that is not an environment. TypeScript wants every key of an indexed type to be of the
        // index's type; the schema Backstage generates from this (`properties.tokenStore` beside
        // `additionalProperties: <environment>`) is the rule we mean, and an intersection instead would lose
        // the environment blocks from it. test/package/configSchema.test.ts loads it as Backstage does.
        // @ts-ignore
        tokenStore?: {
          /**
           * `memory` (default, bounded, per process), `redis` (shared by replicas, survives restarts; standalone,
           * Sentinel or Cluster) or `backstage-cache` (the backend's `backend.cache`, handed over as `cache`).
           */
          type?: 'memory' | 'redis' | 'backstage-cache';
          /** Upper bound of the memory store in users; least recently used are evicted. Default 10000. */
          maxEntries?: number;
          /** One of `url`, `sentinels` + `name`, or `cluster.nodes`. */
          redis?: {
            /** Standalone Redis, e.g. redis://redis.internal:6379/0 @visibility secret */
            url?: string;
            /** Redis behind Sentinel: the sentinels to ask for the master. */
            sentinels?: Array<{ host: string; port: number }>;
            /** The master group name the sentinels monitor, e.g. `mymaster`. */
            name?: string;
            /** Redis Cluster: one or more nodes; the others are discovered. */
            cluster?: { nodes: Array<{ host: string; port: number }> };
            /** Redis ACL user. */
            username?: string;
            /** Redis password. @visibility secret */
            password?: string;
            /** ACL user of the sentinels, when they require auth. */
            sentinelUsername?: string;
            /** Password of the sentinels, when they require auth. @visibility secret */
            sentinelPassword?: string;
            /** Database index (not with a cluster). Default 0. */
            db?: number;
            /** TLS to Redis and the sentinels: `true`, or a private CA (PEM) and the server name to expect. */
            tls?: true | { ca?: string; servername?: string };
            /** Replicas that must confirm each write (Redis WAIT). Default 1 with sentinels, else 0. */
            waitForReplicas?: number;
            /** Default `spectrocloud:session:`. */
            keyPrefix?: string;
          };
          /** base64 of 32 random bytes (`openssl rand -base64 32`); encrypts tokens at rest with AES-256-GCM. @visibility secret */
          encryptionKey?: string;
          /** Old encryption keys still accepted for reading during a rotation. @visibility secret */
          previousEncryptionKeys?: string[];
          /** Renew Palette tokens through Palette before they expire (`GET /v1/auth/refresh/{token}`). Default true. */
          renewPaletteTokens?: boolean;
          /** The old name of `renewPaletteTokens`, still read. @deprecated Use renewPaletteTokens. */
          renewSessionTokens?: boolean;
          /**
           * Also write the raw Palette token to the browser, in the seeds' `spectrocloud-api-token` cookie
           * (HttpOnly, SameSite=Lax, Secure over https, on `/api/spectrocloud` only), for code written against the
           * seeds. The doctor warns while it is on. Default false: the token stays server-side.
           */
          paletteTokenCookie?: boolean;
          /** The old name of `paletteTokenCookie`, still read. @deprecated Use paletteTokenCookie. */
          apiTokenCookie?: boolean;
        };
        /** One block per `auth.environment` value, e.g. `development`, `production`. */
        [authEnv: string]: {
          /** OAuth client ID from SpectroCloud (Tenant Settings -> OAuth Integrations). */
          clientId: string;
          /** OAuth client secret from SpectroCloud. @visibility secret */
          clientSecret: string;
          /** e.g. https://console.spectrocloud.com/v1/oidc/tenant/<tenant-id>/auth */
          authorizationUrl: string;
          /** Default `<backend.baseUrl>/api/auth/spectrocloud/handler/frame`; must match SpectroCloud's redirect URI exactly. */
          callbackUrl?: string;
          /** Space-separated scopes; must include `openid`. Default `openid profile email`. */
          scope?: string;
          /** Extra scopes appended to `scope`, e.g. `groups`. */
          additionalScopes?: string | string[];
          /** Sent only when set. */
          prompt?: 'login' | 'none' | 'consent' | 'select_account';
          /** Override of the token endpoint; default from discovery, else the authorization URL with `/token` as last segment. */
          tokenUrl?: string;
          /** Override of the JWKS URL; default from discovery, else `.../keys`. */
          jwksUrl?: string;
          /** Override of the discovery document URL. */
          metadataUrl?: string;
          /** Expected `iss` of ID tokens; default from discovery, else the authorization URL without its last segment. */
          issuer?: string;
          /** Allowed clock skew in seconds for `exp`, `iat`, `nbf`. Default 30. */
          clockTolerance?: number;
          /** Timeout in milliseconds for every call to SpectroCloud. Default 10000. */
          timeout?: number;
          /** How the client secret is sent to the token endpoint. Default `client_secret_post`. */
          tokenEndpointAuthMethod?: 'client_secret_post' | 'client_secret_basic';
          /** Allowed ID token signing algorithms (asymmetric only). Default `['RS256']`. */
          algorithms?: string[];
          /**
           * Extra authorization parameters on every sign-in, e.g. `{ acr_values: mfa, max_age: 300 }`
           * (the name of Backstage's oidc provider). With `max_age`, the ID token's `auth_time` is checked.
           * Not allowed: state, nonce, code_challenge(_method), redirect_uri, client_id, response_type, scope, prompt.
           */
          startUrlSearchParams?: { [name: string]: string | number };
          /**
           * Sign-out also ends the SpectroCloud session: the frontend client goes to the issuer's
           * `end_session_endpoint` with `id_token_hint` and `post_logout_redirect_uri` = `app.baseUrl`
           * (register it with the OAuth client). Default false.
           */
          signOutOfSpectroCloud?: boolean;
          /**
           * Refuse sign-ins whose ID token does not say `email_verified`. An address SpectroCloud marks
           * `email_verified: false` is refused either way; by default an absent claim is accepted
           * (SpectroCloud's addresses are managed by the tenant). Default false.
           */
          requireVerifiedEmail?: boolean;
          /**
           * How long one sign-in may be refreshed, enforced by the server (Backstage's key and formats:
           * `8h`, `7d`, `PT8H`, `{ hours: 8 }`). Default: until SpectroCloud's ID token expires.
           */
          sessionDuration?: string | { years?: number; months?: number; weeks?: number; days?: number; hours?: number; minutes?: number; seconds?: number; milliseconds?: number };
          /** Largest answer read from any SpectroCloud endpoint, in bytes; larger ones are cut off while streaming. Default 1048576 (1 MiB). */
          maxResponseBytes?: number;
          /** Largest ID token accepted, in bytes, checked before parsing. Default 16384. */
          maxIdTokenBytes?: number;
          /**
           * Proxy for every call to SpectroCloud, e.g. `http://proxy.example.com:3128`; `false` ignores
           * HTTPS_PROXY / HTTP_PROXY. Default: HTTPS_PROXY / HTTP_PROXY / NO_PROXY from the environment.
           * @visibility secret
           */
          proxy?: string | false;
          /** Extra trusted CA certificate(s), PEM text, for a private CA in front of SpectroCloud. */
          ca?: string | string[];
          /** Path of a PEM file with extra trusted CA certificate(s); read at startup. */
          caFile?: string;
          /** Seconds between two reads of the discovery document (endpoints and keys are followed without restart). Default 3600. */
          discoveryRefreshInterval?: number;
          /** Seconds a fetched JWKS is used; a key SpectroCloud withdrew stops working within this. Default 600. */
          jwksCacheMaxAge?: number;
          /** Seconds: an unknown `kid` refetches the JWKS at most once per this interval. Default 60. */
          jwksRefetchInterval?: number;
          /**
           * Seconds: with an IdP that issues refresh tokens, a session makes at most one refresh grant per this
           * interval; refreshes in between serve the last grant's still valid tokens again (re-verified). An
           * IdP-side revocation is noticed at most this late; sign-out is not delayed. 0: a grant on every refresh. Default 60.
           */
          refreshGrantInterval?: number;
          signIn?: {
            /** Tried in order; the first resolver that finds a user wins. */
            resolvers: Array<{
              resolver: 'emailMatchingUserEntityProfileEmail' | 'emailLocalPartMatchingUserEntityName' | 'emailMatchingUserEntityAnnotation';
              /** For `emailMatchingUserEntityAnnotation`; default `spectrocloud.com/email`. */
              annotation?: string;
              /** Email domains allowed to sign in, e.g. `[example.com]`; others are refused before any catalog lookup. */
              allowedDomains?: string[];
              /** Without a matching User entity, sign in as `user:default/<email local part>` (normalised). Default false. */
              dangerouslyAllowSignInWithoutUserInCatalog?: boolean;
              /** Adds SpectroCloud's `groups` claim as `group:<namespace>/<name>` to the token's ownership (`ent`). `true` = defaults. */
              groupsAsOwnership?:
                | boolean
                | {
                    /** Catalog namespace of the groups. Default `default`. */
                    namespace?: string;
                    /** Only groups that exist in the catalog. Default true. */
                    onlyExisting?: boolean;
                  };
            }>;
          };
        };
      };
    };
  };
}
