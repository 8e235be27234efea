// Splits a V8 CPU profile (.cpuprofile, as `node --cpu-prof` or the
// inspector writes it) of a backend under load into the phases of a
// `/refresh` or `/start`. A sample goes to the first operation phase (in the
// order below) that any frame of its stack belongs to, so the IdP's own
// work is never counted as, say, verification because it signs with jose.
// Middleware calls the rest of the request from inside its own frame, so the
// plumbing phases (`innermost: true`) only take a sample no operation claims,
// by the frame nearest the leaf.

export interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string }; children?: number[] }>;
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface Phase {
  name: string;
  /** a frame belongs to the phase when one of these matches `<url> <functionName>` */
  frames: RegExp[];
  /** plumbing that wraps the rest of the request: matched nearest the leaf, after every operation phase */
  innermost?: true;
}

export const DEFAULT_PHASES: Phase[] = [
  { name: 'IdP (oidc-provider in this process: grant, userinfo, authorize)', frames: [/node_modules\/.*oidc-provider\//, /node_modules\/.*koa/, /standardOidcServer\.ts/, /jose\/dist\/webapi\//, /node:internal\/crypto\/webcrypto/] },
  { name: 'ID-token verification', frames: [/IdTokenVerifier\.ts/, /SigningKeys\.ts/, /jsonwebtoken\//, /jose\/dist\/node\/cjs\/.*verify/, /openid-client\/.*(client|token_set)\.js (validateIdToken|validateJARM|claims|decryptIdToken)/] },
  { name: 'userinfo call (client side)', frames: [/userInfoClaims\.ts/, /openid-client\/.* userinfo/] },
  { name: 'IdP refresh grant (client side: request, parse)', frames: [/SpectroCloudStrategy\.ts refreshTokens/, /OutboundOAuth2\.ts/, /BasicAuthOAuth2\.ts/, /node_modules\/oauth\//, /openid-client\/.* (refresh|grant)/] },
  { name: 'catalog sign-in resolution', frames: [/signInWithCatalogUser/, /findCatalogUser/, /InMemoryCatalogClient/, /catalog-client/, /CatalogAuthResolverContext/, /resolvers\.ts/, /catalogSignIn\.ts/] },
  { name: "Backstage's token issuance (sign, user info to the DB)", frames: [/TokenFactory/, /issueToken/, /jose\/dist\/node\/cjs\/.*sign/, /KeyStore|DatabaseKeyStore|UserInfoDatabase/, / (updateUserInfo|getKey|listKeys)$/] },
  { name: 'refresh cookie: open, seal, write', frames: [/SealedSession\.ts/, /RefreshCookie\.ts/, /cookieSettings\.ts/] },
  { name: 'state, nonce, PKCE (start)', frames: [/BrowserBinding\.ts/, /encodeState|readState/, /openid-client\/.* (authorizationUrl|generators)/] },
  { name: 'passport strategy run (start)', frames: [/runStrategy\.ts/, /passport-oauth2\//, /passport-strategy/] },
  { name: 'sign-out check (revoked sessions store)', frames: [/RevokedSessions\.ts/, /memoryStore\.ts/, /pendingWrites\.ts/] },
  { name: 'outbound HTTP (our client and the IdP calls)', frames: [/\/src\/http\//] },
  { name: 'garbage collection', frames: [/^ \(garbage collector\)$/] },
  { name: 'idle', frames: [/^ \(idle\)$/] },
  { name: 'profiler', frames: [/node:inspector/] },
  { name: 'database (knex, better-sqlite3: sessions, keys)', frames: [/node_modules\/knex\//, /node_modules\/better-sqlite3\//], innermost: true },
  { name: 'express-session (the router runs it on every request)', frames: [/express-session\//, /connect-session-knex/, /uid-safe/], innermost: true },
  { name: 'OAuthAdapter and our handler glue', frames: [/OAuthAdapter|OAuthEnvironmentHandler/, /SpectroCloudAuthHandlers\.ts/, /\/src\/(legacy|signInService)\//, /\/src\/refreshSession\//, /plugin-auth-backend\//, /plugin-auth-node\//], innermost: true },
  { name: 'express, HTTP server and parsing', frames: [/node_modules\/.*(express|body-parser|cookie-parser|router|cookie|qs|send|finalhandler|on-finished|raw-body|passport)\//, /node:_http|node:http|_http_|node:net|node:stream/], innermost: true },
];

const OTHER = 'other (node internals, promises, timers, crypto called from elsewhere)';

export interface PhaseShare {
  name: string;
  ms: number;
  /** share of the busy (non-idle) time */
  share: number;
}

export function breakdown(profile: CpuProfile, PHASES: Phase[] = DEFAULT_PHASES): { busyMs: number; phases: PhaseShare[]; topOther: Array<{ frame: string; ms: number }> } {
  const byId = new Map(profile.nodes.map(n => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const matches = (id: number, phase: Phase) => {
    const { functionName, url } = byId.get(id)!.callFrame;
    return phase.frames.some(f => f.test(`${url} ${functionName}`));
  };
  const operations = PHASES.map((p, i) => ({ p, i })).filter(x => !x.p.innermost);
  const plumbing = PHASES.map((p, i) => ({ p, i })).filter(x => x.p.innermost);
  const memo = new Map<number, number>();
  const rank = (leaf: number): number => {
    const known = memo.get(leaf);
    if (known !== undefined) return known;
    const stack: number[] = [];
    for (let id: number | undefined = leaf; id !== undefined; id = parent.get(id)) stack.push(id);
    let result = PHASES.length;
    for (const { p, i } of operations) if (i < result && stack.some(id => matches(id, p))) result = i;
    if (result === PHASES.length) {
      for (const id of stack) {
        const hit = plumbing.find(({ p }) => matches(id, p));
        if (hit) {
          result = hit.i;
          break;
        }
      }
    }
    memo.set(leaf, result);
    return result;
  };
  const ms = new Array<number>(PHASES.length + 1).fill(0);
  const other = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    const r = rank(id);
    ms[r] += dt;
    if (r === PHASES.length) {
      const { functionName, url } = byId.get(id)!.callFrame;
      const frame = `${functionName || '(anonymous)'} ${url.replace(/^.*node_modules\//, '')}`;
      other.set(frame, (other.get(frame) ?? 0) + dt);
    }
  });
  // Idle time and the profiler's own work at stop are not the backend's.
  const notBusy = new Set([PHASES.findIndex(p => p.name === 'idle'), PHASES.findIndex(p => p.name === 'profiler')]);
  const busyMs = ms.reduce((a, b, i) => (notBusy.has(i) ? a : a + b), 0);
  const phases = ms
    .map((value, i) => ({ name: i < PHASES.length ? PHASES[i].name : OTHER, ms: value, share: value / busyMs }))
    .filter((p, i) => !notBusy.has(i) && p.ms > 0);
  const topOther = [...other.entries()].sort((a, b) => b[1] - a[1]).slice(0, 15).map(([frame, v]) => ({ frame, ms: v }));
  return { busyMs, phases, topOther };
}
