import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPublicKey, generateKeyPairSync, randomBytes, randomUUID, type JsonWebKey } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { registerSecret } from './secrets';

/**
 * A standard OpenID Connect issuer for the tests: panva's `oidc-provider`
 * (v9) on a loopback port. Unlike the SpectroCloud emulator it hands out
 * real, opaque OAuth refresh tokens, keeps its endpoints where that library
 * puts them (`/auth`, `/token`, `/jwks`, `/token/revocation`), requires
 * S256 PKCE and checks client authentication to the letter of RFC 6749.
 * A tiny interaction handler logs in the account named by `login_hint` and
 * grants whatever consent is asked, so a test can walk through it with
 * plain HTTP requests ({@link StandardOidcServer.authorize}).
 */

export interface StandardOidcAccount {
  sub: string;
  email: string;
  given_name?: string;
  family_name?: string;
  name?: string;
}

export interface StandardOidcServerOptions {
  /** registered for both clients */
  redirectUris: string[];
  /** the `client_secret_post` client; `<clientId>-basic` is the `client_secret_basic` one */
  clientId: string;
  clientSecret: string;
  accounts: StandardOidcAccount[];
  /** issue a new refresh token on every refresh grant (and refuse reuse of a rotated one). Default false. */
  rotateRefreshTokens?: boolean;
  /** ID token lifetime in seconds. Default 600. */
  idTokenTtl?: number;
}

/** One answered call to the token endpoint. */
export interface TokenEndpointCall {
  grantType: string;
  clientId?: string;
  /** how the client authenticated: an Authorization header, the body, or neither */
  clientAuth: 'basic' | 'post' | 'none';
  /** for the refresh_token grant: the refresh token presented */
  refreshTokenUsed?: string;
  /** the ID token oidc-provider answered with */
  idToken?: string;
  /** the OAuth error, for refused calls */
  error?: string;
}

export interface IssuedRefreshToken {
  /** the token value (opaque: oidc-provider's value is its id) */
  value: string;
  clientId: string;
  grantId: string;
  scope?: string;
}

export interface InteractionSeen {
  prompt: string;
  reasons: string[];
  loginHint?: string;
  /** the authorization request's parameters as oidc-provider understood them */
  scope?: string;
  promptParam?: string;
  codeChallengeMethod?: string;
  hasNonce: boolean;
}

export interface StandardOidcServer {
  /** http://127.0.0.1:PORT */
  issuer: string;
  /** from discovery: `<issuer>/auth` */
  authorizationUrl: string;
  clientIds: { post: string; basic: string };
  /** every token endpoint call, successful or refused, in order */
  tokenCalls: TokenEndpointCall[];
  refreshTokens: IssuedRefreshToken[];
  /** grant ids revoked at oidc-provider */
  revokedGrants: string[];
  interactions: InteractionSeen[];
  /** `METHOD /path` of every request (no query strings) */
  requests: string[];
  /** unexpected server-side failures; a test run should leave this empty */
  serverErrors: string[];
  /** RFC 7009 revocation through oidc-provider's revocation endpoint, as the post client. Returns the HTTP status. */
  revoke(token: string): Promise<number>;
  /**
   * Plays the browser at oidc-provider: follows the authorization URL from
   * `/start` through the interactions (logging in `loginHint`) and returns
   * the redirect to the client's callback.
   */
  authorize(location: string, loginHint: string): Promise<string>;
  /**
   * Holds the next request to `path` (e.g. `/token`, `/token/revocation`)
   * until `release()`; `arrived` resolves when it comes in. For tests that
   * must act while a grant is in flight, in order rather than by timing.
   */
  holdNextCall(path: string): { arrived: Promise<void>; release(): void };
  close(): Promise<void>;
}

// --- oidc-provider, as far as these tests use it (the package ships no type declarations) ---

interface OidcContext {
  method: string;
  body?: { id_token?: unknown };
  headers: Record<string, string | string[] | undefined>;
  oidc?: {
    params?: Record<string, unknown>;
    body?: Record<string, unknown>;
    client?: { clientId: string };
    entities?: { RefreshToken?: { jti: string } };
  };
}

interface OidcGrant {
  addOIDCScope(scope: string): void;
  addOIDCClaims(claims: string[]): void;
  addResourceScope(indicator: string, scope: string): void;
  save(): Promise<string>;
}

interface InteractionDetails {
  uid: string;
  prompt: { name: string; reasons: string[]; details: Record<string, unknown> };
  params: Record<string, unknown>;
  session?: { accountId: string };
  grantId?: string;
}

interface OidcProvider {
  callback(): (req: IncomingMessage, res: ServerResponse) => void;
  on(event: string, listener: (...args: any[]) => void): void;
  interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>;
  interactionFinished(
    req: IncomingMessage,
    res: ServerResponse,
    result: Record<string, unknown>,
    options?: { mergeWithLastSubmission?: boolean },
  ): Promise<void>;
  Grant: { new (init: { accountId: string; clientId: string }): OidcGrant; find(id: string): Promise<OidcGrant | undefined> };
}

type ProviderConstructor = new (issuer: string, configuration: Record<string, unknown>) => OidcProvider;

let loading: Promise<ProviderConstructor> | undefined;

/**
 * oidc-provider is ESM-only and, on import, warns once that it prefers a
 * newer Node.js LTS than the 20 this package supports; that one notice is
 * kept out of the test output, everything else passes through.
 */
function loadProvider(): Promise<ProviderConstructor> {
  loading ??= (async () => {
    const warn = console.warn;
    console.warn = (...args: unknown[]) => {
      if (typeof args[0] === 'string' && args[0].startsWith('oidc-provider WARNING: Unsupported runtime')) return;
      warn(...args);
    };
    try {
      // @ts-expect-error oidc-provider ships no type declarations
      const module = await import('oidc-provider');
      return module.default as ProviderConstructor;
    } finally {
      console.warn = warn;
    }
  })();
  return loading;
}

// --- storage: one per server, so servers in the same process never share tokens ---

interface StoredEntry {
  payload: Record<string, unknown>;
  expiresAt: number;
}

/** oidc-provider's adapter contract over a Map, with the grant index revocation needs. */
function createStorage() {
  const entries = new Map<string, StoredEntry>();
  const byGrant = new Map<string, Set<string>>();
  const secondary = new Map<string, string>();
  const now = () => Date.now();
  const read = (key: string) => {
    const entry = entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= now()) {
      entries.delete(key);
      return undefined;
    }
    return entry.payload;
  };
  return (model: string) => {
    const key = (id: string) => `${model}:${id}`;
    return {
      async upsert(id: string, payload: Record<string, unknown>, expiresIn?: number) {
        const expiresAt = typeof expiresIn === 'number' ? now() + expiresIn * 1000 : Infinity;
        entries.set(key(id), { payload, expiresAt });
        if (typeof payload.grantId === 'string') {
          const members = byGrant.get(payload.grantId) ?? new Set<string>();
          members.add(key(id));
          byGrant.set(payload.grantId, members);
        }
        if (model === 'Session' && typeof payload.uid === 'string') secondary.set(`uid:${payload.uid}`, id);
        if (typeof payload.userCode === 'string') secondary.set(`userCode:${payload.userCode}`, id);
      },
      async find(id: string) {
        return read(key(id));
      },
      async findByUid(uid: string) {
        const id = secondary.get(`uid:${uid}`);
        return id === undefined ? undefined : read(key(id));
      },
      async findByUserCode(userCode: string) {
        const id = secondary.get(`userCode:${userCode}`);
        return id === undefined ? undefined : read(key(id));
      },
      async consume(id: string) {
        const payload = read(key(id));
        if (payload) payload.consumed = Math.floor(now() / 1000);
      },
      async destroy(id: string) {
        entries.delete(key(id));
      },
      async revokeByGrantId(grantId: string) {
        for (const member of byGrant.get(grantId) ?? []) entries.delete(member);
        byGrant.delete(grantId);
      },
    };
  };
}

// --- the browser's cookies at oidc-provider (path-scoped, as its interaction cookies are) ---

class PathCookieJar {
  private readonly cookies = new Map<string, { name: string; value: string; path: string }>();

  update(setCookies: string[], requestPath: string) {
    for (const header of setCookies) {
      const [pair, ...attributes] = header.split(';').map(part => part.trim());
      const separator = pair.indexOf('=');
      const name = pair.slice(0, separator);
      const value = pair.slice(separator + 1);
      const pathAttribute = attributes.find(a => /^path=/i.test(a));
      const path = pathAttribute ? pathAttribute.slice(5) : requestPath.replace(/\/[^/]*$/, '') || '/';
      const expired =
        value === '' ||
        attributes.some(a => /^max-age=0$/i.test(a) || (/^expires=/i.test(a) && Date.parse(a.slice(8)) <= Date.now()));
      const id = `${name};${path}`;
      if (expired) this.cookies.delete(id);
      else {
        this.cookies.set(id, { name, value, path });
        registerSecret(value);
      }
    }
  }

  header(requestPath: string): string {
    return [...this.cookies.values()]
      .filter(c => requestPath === c.path || requestPath.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`))
      .sort((a, b) => b.path.length - a.path.length)
      .map(c => `${c.name}=${c.value}`)
      .join('; ');
  }
}

// --- the server ---

export async function startStandardOidcServer(options: StandardOidcServerOptions): Promise<StandardOidcServer> {
  const Provider = await loadProvider();

  const server = http.createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}`;

  const clientIds = { post: options.clientId, basic: `${options.clientId}-basic` };
  registerSecret(options.clientSecret);
  const client = (clientId: string, method: string) => ({
    client_id: clientId,
    client_secret: options.clientSecret,
    redirect_uris: options.redirectUris,
    response_types: ['code'],
    grant_types: ['authorization_code', 'refresh_token'],
    token_endpoint_auth_method: method,
  });

  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg: 'RS256', use: 'sig' };

  const accounts = new Map(options.accounts.map(account => [account.sub, account]));
  const findByHint = (hint: unknown) =>
    options.accounts.find(account => account.email === hint || account.sub === hint);

  const provider = new Provider(issuer, {
    adapter: createStorage(),
    clients: [client(clientIds.post, 'client_secret_post'), client(clientIds.basic, 'client_secret_basic')],
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    scopes: ['openid', 'profile', 'email', 'offline_access'],
    claims: {
      openid: ['sub'],
      profile: ['name', 'given_name', 'family_name'],
      email: ['email', 'email_verified'],
    },
    // Most issuers (Keycloak, Okta, Entra ID, Google) put the scope's claims
    // into the ID token of the code flow too; oidc-provider only does so when asked.
    conformIdTokenClaims: false,
    responseTypes: ['code'],
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: false },
      revocation: {
        enabled: true,
        allowedPolicy: async (_ctx: unknown, caller: { clientId: string }, token: { clientId: string }) =>
          caller.clientId === token.clientId,
      },
    },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    async findAccount(_ctx: unknown, sub: string) {
      const account = accounts.get(sub);
      if (!account) return undefined;
      return {
        accountId: account.sub,
        async claims() {
          const name = account.name ?? ([account.given_name, account.family_name].filter(Boolean).join(' ') || undefined);
          return { ...account, name, email_verified: true };
        },
      };
    },
    // The standard rule: a refresh token for clients allowed the grant, when offline_access was granted
    // (which OIDC Core 11 ties to prompt=consent; oidc-provider drops offline_access without it).
    issueRefreshToken: async (
      _ctx: unknown,
      target: { grantTypeAllowed(type: string): boolean },
      source: { scopes: Set<string> },
    ) => target.grantTypeAllowed('refresh_token') && source.scopes.has('offline_access'),
    rotateRefreshToken: () => options.rotateRefreshTokens ?? false,
    clientBasedCORS: () => false,
    async renderError(ctx: { type: string; body: unknown }, out: Record<string, string>) {
      ctx.type = 'json';
      ctx.body = { error: out.error, error_description: out.error_description };
    },
    ttl: {
      AccessToken: 600,
      AuthorizationCode: 60,
      IdToken: options.idTokenTtl ?? 600,
      RefreshToken: 24 * 3600,
      Interaction: 600,
      Session: 3600,
      Grant: 24 * 3600,
    },
  });

  const tokenCalls: TokenEndpointCall[] = [];
  const refreshTokens: IssuedRefreshToken[] = [];
  const revokedGrants: string[] = [];
  const interactions: InteractionSeen[] = [];
  const requests: string[] = [];
  const serverErrors: string[] = [];

  const describeCall = (ctx: OidcContext, error?: { error?: string }): TokenEndpointCall => {
    const body = ctx.oidc?.body ?? {};
    const authorization = ctx.headers.authorization;
    const basic = typeof authorization === 'string' && /^basic /i.test(authorization);
    const refreshTokenUsed = typeof body.refresh_token === 'string' ? body.refresh_token : undefined;
    registerSecret(refreshTokenUsed);
    const idToken = !error && typeof ctx.body?.id_token === 'string' ? ctx.body.id_token : undefined;
    registerSecret(idToken);
    return {
      grantType: String(body.grant_type ?? ctx.oidc?.params?.grant_type ?? ''),
      clientId: ctx.oidc?.client?.clientId,
      clientAuth: basic ? 'basic' : body.client_secret !== undefined ? 'post' : 'none',
      ...(refreshTokenUsed ? { refreshTokenUsed } : {}),
      ...(idToken ? { idToken } : {}),
      ...(error ? { error: error.error ?? 'server_error' } : {}),
    };
  };
  provider.on('grant.success', (ctx: OidcContext) => tokenCalls.push(describeCall(ctx)));
  provider.on('grant.error', (ctx: OidcContext, error: { error?: string }) => tokenCalls.push(describeCall(ctx, error)));
  for (const model of ['authorization_code', 'access_token', 'session', 'interaction']) {
    provider.on(`${model}.saved`, (token: { jti?: string }) => registerSecret(token.jti));
  }
  provider.on('refresh_token.saved', (token: { jti: string; clientId: string; grantId: string; scope?: string }) => {
    registerSecret(token.jti);
    if (!refreshTokens.some(issued => issued.value === token.jti)) {
      refreshTokens.push({ value: token.jti, clientId: token.clientId, grantId: token.grantId, scope: token.scope });
    }
  });
  provider.on('grant.revoked', (_ctx: unknown, grantId: string) => revokedGrants.push(grantId));
  // Record what went wrong without printing: error objects can carry request data.
  provider.on('server_error', (_ctx: unknown, error: Error) => serverErrors.push(`${error?.name}: ${error?.message}`));
  provider.on('error', (error: Error) => serverErrors.push(`${error?.name}: ${error?.message}`));

  const interaction = async (req: IncomingMessage, res: ServerResponse) => {
    const details = await provider.interactionDetails(req, res);
    const { prompt, params } = details;
    const loginHint = typeof params.login_hint === 'string' ? params.login_hint : undefined;
    interactions.push({
      prompt: prompt.name,
      reasons: prompt.reasons,
      loginHint,
      scope: typeof params.scope === 'string' ? params.scope : undefined,
      promptParam: typeof params.prompt === 'string' ? params.prompt : undefined,
      codeChallengeMethod: typeof params.code_challenge_method === 'string' ? params.code_challenge_method : undefined,
      hasNonce: typeof params.nonce === 'string' && params.nonce.length > 0,
    });
    if (prompt.name === 'login') {
      const account = findByHint(loginHint);
      const result = account
        ? { login: { accountId: account.sub } }
        : { error: 'access_denied', error_description: 'unknown user' };
      await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
      return;
    }
    if (prompt.name === 'consent') {
      const grant =
        (details.grantId ? await provider.Grant.find(details.grantId) : undefined) ??
        new provider.Grant({ accountId: details.session!.accountId, clientId: String(params.client_id) });
      const { missingOIDCScope, missingOIDCClaims, missingResourceScopes } = prompt.details as {
        missingOIDCScope?: string[];
        missingOIDCClaims?: string[];
        missingResourceScopes?: Record<string, string[]>;
      };
      if (missingOIDCScope) grant.addOIDCScope(missingOIDCScope.join(' '));
      if (missingOIDCClaims) grant.addOIDCClaims(missingOIDCClaims);
      for (const [indicator, scopes] of Object.entries(missingResourceScopes ?? {})) grant.addResourceScope(indicator, scopes.join(' '));
      const grantId = await grant.save();
      await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
      return;
    }
    res.statusCode = 400;
    res.end(`unexpected prompt ${prompt.name}`);
  };

  const handle = provider.callback();
  const held = new Map<string, { arrive(): void; gate: Promise<void> }>();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', issuer).pathname;
    requests.push(`${req.method} ${path}`);
    const hold = held.get(path);
    if (hold) {
      held.delete(path);
      const { arrive, gate } = hold;
      arrive();
      void gate.then(() => handle(req, res));
      return;
    }
    if (path.startsWith('/interaction/')) {
      interaction(req, res).catch((error: Error) => {
        serverErrors.push(`interaction: ${error?.name}: ${error?.message}`);
        if (!res.headersSent) res.statusCode = 500;
        res.end();
      });
      return;
    }
    handle(req, res);
  });

  const discovery = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as Record<string, string>;
  // Discovery is part of what the tests count; start them from a clean list.
  requests.length = 0;

  return {
    issuer,
    authorizationUrl: discovery.authorization_endpoint,
    clientIds,
    tokenCalls,
    refreshTokens,
    revokedGrants,
    interactions,
    requests,
    serverErrors,

    holdNextCall(path: string) {
      let arrive!: () => void;
      let release!: () => void;
      const arrived = new Promise<void>(resolve => (arrive = resolve));
      held.set(path, { arrive, gate: new Promise<void>(resolve => (release = resolve)) });
      return { arrived, release };
    },

    async revoke(token: string) {
      const response = await fetch(discovery.revocation_endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          token,
          token_type_hint: 'refresh_token',
          client_id: clientIds.post,
          client_secret: options.clientSecret,
        }),
      });
      await response.arrayBuffer();
      return response.status;
    },

    async authorize(location: string, loginHint: string) {
      const jar = new PathCookieJar();
      let url = new URL(location);
      url.searchParams.set('login_hint', loginHint);
      for (let hop = 0; hop < 10; hop++) {
        if (url.origin !== issuer) return url.toString();
        const response = await fetch(url, { redirect: 'manual', headers: { cookie: jar.header(url.pathname) } });
        jar.update(response.headers.getSetCookie(), url.pathname);
        const next = response.headers.get('location');
        if (![302, 303].includes(response.status) || !next) {
          const body = (await response.text()).slice(0, 300);
          throw new Error(`oidc-provider answered ${response.status} at ${url.pathname}: ${body}`);
        }
        await response.arrayBuffer().catch(() => undefined);
        url = new URL(next, url);
        registerSecret(url.searchParams.get('code'));
      }
      throw new Error('oidc-provider redirected more than 10 times');
    },

    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Verifies an ID token independently of src/: keys from the issuer's discovered jwks_uri. */
export async function verifyAtIssuer(op: StandardOidcServer, idToken: string, clientId: string): Promise<jwt.JwtPayload> {
  const discovery = (await (await fetch(`${op.issuer}/.well-known/openid-configuration`)).json()) as { jwks_uri: string };
  const { keys } = (await (await fetch(discovery.jwks_uri)).json()) as { keys: (JsonWebKey & { kid: string })[] };
  const { header } = jwt.decode(idToken, { complete: true })!;
  const key = keys.find(candidate => candidate.kid === header.kid);
  if (!key) throw new Error('no issuer key for the ID token kid');
  return jwt.verify(idToken, createPublicKey({ key, format: 'jwk' }), {
    algorithms: ['RS256'],
    issuer: op.issuer,
    audience: clientId,
  }) as jwt.JwtPayload;
}

