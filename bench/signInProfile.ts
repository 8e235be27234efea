import { loadavg } from 'node:os';
// `pnpm bench:profile --signin`: where a whole sign-in's CPU goes on each
// backend, ours vs the built-in of the same backend. V8's sampling profiler
// (the one `node --cpu-prof` starts, switched on through node:inspector for
// the measured seconds only) on this process's main thread, which holds the
// backends and their emulators; the virtual users run in a worker thread and
// are not profiled. Each sample goes to the first step below that any frame
// of its stack belongs to (see profileBreakdown.ts); plumbing goes by the
// frame nearest the leaf.
import { Session } from 'node:inspector/promises';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { breakdown, type CpuProfile, type Phase } from './profileBreakdown';
import { emails, installClock, legacyPair, newSystemPair, runWorker, shiftClock, type Pair, type RealContender } from './realWork';
import type { SessionCookies } from './realWorkWorker';
import { fmt } from './stats';

export const SIGN_IN_STEPS: Phase[] = [
  { name: 'IdP (the emulator in this process: authorize, token, JWKS, userinfo)', frames: [/\/src\/testing\//] },
  { name: 'logging', frames: [/node_modules\/.*(winston|logform|triple-beam|morgan)\//, /SignInService\.ts .*(signedIn|signInFailed)$/, /\/src\/metrics\.ts/, /silentLogger/] },
  {
    name: 'ID-token verification (JWKS lookup, signature, claims)',
    // Package names anchored (`node_modules/jws/`, not jose's `jws/` folder): jose also signs Backstage's own tokens.
    frames: [/\/src\/oidc\/(IdTokenVerifier|SigningKeys|signingKeyRules|checkJoseHeader|checkClaimTypes|checkAuthorizationResponseIssuer)\.ts/, /node_modules\/(jsonwebtoken|jwks-rsa|jws|jwa)\//, /openid-client\/.*(validateIdToken|validateJWT|queryKeyStore|keystore)/, /jose\/dist\/node\/cjs\/(jwt\/verify|jws\/(compact|flattened|general)\/verify|lib\/jwt_claims_set|runtime\/verify)/],
  },
  { name: 'userinfo call (client side)', frames: [/userInfoClaims\.ts/, /openid-client\/.* userinfo/] },
  {
    name: 'code exchange client (request, parse)',
    frames: [/\/src\/oauth2\/(OutboundOAuth2|BasicAuthOAuth2)\.ts/, /SpectroCloudStrategy\.ts .*(getOAuthAccessToken|_loadUserProfile|userProfile)/, /node_modules\/oauth\//, /\/src\/http\//, /openid-client\/lib\/(helpers\/request|client\.js (callback|grant|authenticatedPost))/],
  },
  { name: 'catalog sign-in resolution', frames: [/signInWithCatalogUser/, /findCatalogUser/, /InMemoryCatalogClient/, /catalog-client/, /CatalogAuthResolverContext/, /\/src\/resolvers\.ts/, /\/src\/signIn\//] },
  { name: "Backstage's token issuing (sign, keys, user info)", frames: [/TokenFactory/, /issueToken/, /jose\/dist\/node\/cjs\/.*sign/, /KeyStore|DatabaseKeyStore|UserInfoDatabase/, / (updateUserInfo|getKey|listKeys)$/] },
  { name: 'Palette token capture and its store write', frames: [/\/src\/paletteTokens\//, /\/src\/ttlStore\//, /\/src\/sessionTokenService\//] },
  {
    name: 'cookies (refresh cookie seal, nonce, state, PKCE binding)',
    frames: [/\/src\/refreshSession\//, /routeHandlerAdditions\.ts .*(clearLegacyNonce|legacyNonce)/, /\/src\/signInService\/BrowserBinding\.ts/, /OAuthCookieManager/, /encodeState|readState|decodeOAuthState|encodeOAuthState/, /node_modules\/(cookie|cookie-parser|cookie-signature)\//],
  },
  { name: 'passport / strategy run', frames: [/runStrategy\.ts/, /SpectroCloudStrategy\.ts/, /passport-oauth2\//, /passport-strategy/, /openid-client\/lib\/passport_strategy/, /PassportOAuthAuthenticatorHelper|PassportHelpers/] },
  { name: 'garbage collection', frames: [/^ \(garbage collector\)$/] },
  { name: 'idle', frames: [/^ \(idle\)$/] },
  { name: 'profiler', frames: [/node:inspector/] },
  { name: 'database (knex, better-sqlite3)', frames: [/node_modules\/knex\//, /node_modules\/better-sqlite3\//], innermost: true },
  { name: 'express-session (built-in: its OAuth state)', frames: [/express-session\//, /connect-session-knex/, /uid-safe/], innermost: true },
  { name: 'our handlers and the auth router glue (OAuthAdapter, route handlers)', frames: [/OAuthAdapter|OAuthEnvironmentHandler|createOAuthRouteHandlers/, /\/src\/(legacy|newBackend|signInService|composition|environment|refreshShortcuts)\//, /plugin-auth-backend\//, /plugin-auth-node\//], innermost: true },
  { name: 'route plumbing (express, HTTP server, parsing)', frames: [/node_modules\/.*(express|body-parser|router|qs|send|finalhandler|on-finished|raw-body|passport|helmet|cors|compression)\//, /node:_http|node:http|_http_|node:net|node:stream/], innermost: true },
];

/** The package's own source (not the emulator in src/testing). */
const OUR_SOURCE = /\/src\/(?!testing\/)[^/]+(\/[^/]+)*\.ts$/;
const EMULATOR = /\/src\/testing\//;
/** Dependencies the package chose and calls on a sign-in; counted only when called from our source, not from the emulator (which signs with jsonwebtoken too). */
const OUR_DEPENDENCIES = /node_modules\/(jsonwebtoken|jws|jwa|jwks-rsa|passport-oauth2|oauth)\//;

/** Milliseconds of samples whose leaf frame (self time; native and node: frames go to the JavaScript frame above them) is our source, or one of our dependencies called from it. */
function selfTimeIn(profile: CpuProfile): number {
  const byId = new Map(profile.nodes.map(n => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const memo = new Map<number, boolean>();
  const ours = (leaf: number): boolean => {
    const known = memo.get(leaf);
    if (known !== undefined) return known;
    // Native and node: frames (crypto, buffers) belong to the first JavaScript package frame above them.
    let owner: number | undefined = leaf;
    while (owner !== undefined && /^(node:|$)/.test(byId.get(owner)!.callFrame.url)) owner = parent.get(owner);
    const url = owner === undefined ? '' : byId.get(owner)!.callFrame.url;
    let result = false;
    if (OUR_SOURCE.test(url) && !EMULATOR.test(url)) result = true;
    else if (OUR_DEPENDENCIES.test(url)) {
      for (let id = parent.get(owner!); id !== undefined; id = parent.get(id)) {
        const u = byId.get(id)!.callFrame.url;
        if (EMULATOR.test(u)) break;
        if (OUR_SOURCE.test(u)) {
          result = true;
          break;
        }
      }
    }
    memo.set(leaf, result);
    return result;
  };
  let ms = 0;
  profile.samples.forEach((id, i) => {
    if (ours(id)) ms += (profile.timeDeltas[i] ?? 0) / 1000;
  });
  return ms;
}

export interface SignInProfileRow {
  label: string;
  signIns: number;
  busyMs: number;
  /** self time in the package's own code and chosen dependencies (see selfTimeIn) */
  ownMs?: number;
  phases: Array<{ name: string; ms: number; share: number }>;
}

/** One profiled contender as kept in `<profiles>/signin-index.json`, so that the breakdown can be redone without rerunning. */
export interface SignInProfileFile {
  label: string;
  file: string;
  signIns: number;
  ours: boolean;
}

function analyzeFile(f: SignInProfileFile): SignInProfileRow {
  const profile = JSON.parse(readFileSync(f.file, 'utf8')) as CpuProfile;
  const { busyMs, phases } = breakdown(profile, SIGN_IN_STEPS);
  return { label: f.label, signIns: f.signIns, busyMs, phases, ownMs: f.ours ? selfTimeIn(profile) : undefined };
}

/** `pnpm bench:profile --signin --reanalyze`: the breakdown of the last run's profiles, with today's step rules. */
export function reanalyzeSignInProfiles(outDir: string): SignInProfileRow[] {
  return (JSON.parse(readFileSync(`${outDir}signin-index.json`, 'utf8')) as SignInProfileFile[]).map(analyzeFile);
}

async function profileContender(c: RealContender, users: string[], seconds: number, out: string): Promise<SignInProfileRow & { file: SignInProfileFile }> {
  const base = { mode: 'signin' as const, authUrl: c.authUrl, provider: c.provider, emails: users, virtualUsers: 20, keep: 0 };
  await runWorker({ ...base, warmupSeconds: 0, seconds: 2, first: 0 }); // warm-up (JIT, pools), not profiled
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  const r = await runWorker({ ...base, warmupSeconds: 0, seconds, first: 500 });
  const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: CpuProfile };
  session.disconnect();
  writeFileSync(out, JSON.stringify(profile));
  const { busyMs, phases } = breakdown(profile, SIGN_IN_STEPS);
  console.log(`\n${c.label}: ${r.completed} sign-ins (${r.failed} failed), ${fmt((busyMs * 1000) / Math.max(1, r.completed))} µs of main-thread CPU each (${out})`);
  for (const p of phases) console.log(`${(p.share * 100).toFixed(1).padStart(5)} %  ${fmt((p.ms * 1000) / Math.max(1, r.completed)).padStart(6)} µs/sign-in  ${p.name}`);
  return { label: c.label, signIns: r.completed, busyMs, phases, ownMs: c.provider === 'spectrocloud' ? selfTimeIn(profile) : undefined, file: { label: c.label, file: out, signIns: r.completed, ours: c.provider === 'spectrocloud' } };
}

/**
 * `pnpm bench:profile --refresh`: cold refreshes (one real refresh_token
 * grant per session, the clock moved past ours' grant reuse), ours vs the
 * built-in of each backend: the sessions are signed in unprofiled, then every
 * session is refreshed once under the profiler.
 */
export async function coldRefreshProfiles(outDir: string): Promise<SignInProfileRow[]> {
  mkdirSync(outDir, { recursive: true });
  const users = emails(1000);
  const rows: SignInProfileRow[] = [];
  const restoreClock = installClock();
  try {
    for (const [name, start] of [['legacy', () => legacyPair(users)], ['new', () => newSystemPair(users)]] as const) {
      const pair: Pair = await start();
      try {
        for (const c of [pair.builtIn, pair.ours]) {
          const base = { authUrl: c.authUrl, provider: c.provider, virtualUsers: 20 };
          // Warm-up round (JIT, pools), not profiled: sign-ins, then their cold refreshes.
          const warm = await runWorker({ mode: 'signin', ...base, emails: users, warmupSeconds: 0, seconds: 2, first: 0, keep: users.length });
          shiftClock();
          await runWorker({ mode: 'refresh', ...base, sessions: warm.sessions });
          const signedIn = await runWorker({ mode: 'signin', ...base, emails: users, warmupSeconds: 0, seconds: 4, first: 500, keep: users.length });
          shiftClock();
          const session = new Session();
          session.connect();
          await session.post('Profiler.enable');
          await session.post('Profiler.setSamplingInterval', { interval: 200 });
          await session.post('Profiler.start');
          const r = await runWorker({ mode: 'refresh', ...base, sessions: signedIn.sessions as SessionCookies[] });
          const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: CpuProfile };
          session.disconnect();
          const out = `${outDir}refresh-${name}-${c.id}.cpuprofile`;
          writeFileSync(out, JSON.stringify(profile));
          const { busyMs, phases } = breakdown(profile, SIGN_IN_STEPS);
          console.log(`\n${c.label}: ${r.completed} cold refreshes (${r.failed} failed), ${fmt((busyMs * 1000) / Math.max(1, r.completed))} µs of main-thread CPU each (${out})`);
          for (const p of phases) console.log(`${(p.share * 100).toFixed(1).padStart(5)} %  ${fmt((p.ms * 1000) / Math.max(1, r.completed)).padStart(6)} µs/refresh  ${p.name}`);
          rows.push({ label: `${c.label}, cold refreshes`, signIns: r.completed, busyMs, phases, ownMs: c.provider === 'spectrocloud' ? selfTimeIn(profile) : undefined });
        }
      } finally {
        await pair.ours.close();
        await pair.builtIn.close();
      }
    }
  } finally {
    restoreClock();
  }
  return rows;
}

/** Profiles whole sign-ins of both contenders of each backend (standard mode), and ours in Palette mode (token capture on). */
export async function signInProfiles(seconds: number, outDir: string): Promise<SignInProfileRow[]> {
  mkdirSync(outDir, { recursive: true });
  const users = emails(1000);
  const rows: SignInProfileRow[] = [];
  const files: SignInProfileFile[] = [];
  const plan: Array<[string, () => Promise<Pair>, (p: Pair) => RealContender[]]> = [
    // The built-in first: the first contender of a fresh backend pays the most JIT and pool warm-up.
    ['legacy', () => legacyPair(users), p => [p.builtIn, p.ours]],
    ['new', () => newSystemPair(users), p => [p.builtIn, p.ours]],
    ['legacy-palette', () => legacyPair(users, { palette: true }), p => [p.ours]],
    ['new-palette', () => newSystemPair(users, { palette: true }), p => [p.ours]],
  ];
  for (const [name, start, pick] of plan) {
    const pair = await start();
    try {
      for (const c of pick(pair)) {
        const row = await profileContender(c, users, seconds, `${outDir}signin-${name}-${c.id}.cpuprofile`);
        const label = `${row.label}${name.endsWith('palette') ? ', Palette-shaped IdP (token capture on)' : ''}`;
        rows.push({ ...row, label });
        files.push({ ...row.file, label });
      }
    } finally {
      await pair.ours.close();
      await pair.builtIn.close();
    }
  }
  writeFileSync(`${outDir}signin-index.json`, JSON.stringify(files, null, 2));
  return rows;
}

export function renderSignInProfile(rows: SignInProfileRow[], seconds: number, kind: 'sign-in' | 'cold refresh' = 'sign-in'): string {
  const lines: string[] = [];
  lines.push(
    kind === 'sign-in'
      ? `Profiled on ${new Date().toISOString()}: ${seconds} s of whole sign-ins per contender (20 virtual users in a worker thread, 1,000 users round-robin), sampling every 200 µs.`
      : `Profiled on ${new Date().toISOString()}: every session of 4 s of sign-ins refreshed once after the clock moved 90 s (one real refresh_token grant each; 20 virtual users in a worker thread), sampling every 200 µs.`,
    `Main-thread CPU per ${kind === 'sign-in' ? 'whole sign-in (start, IdP, handler/frame)' : 'cold refresh (`/refresh`: the grant at the IdP, verification, resolution, a new Backstage token)'}, by step (µs; share of the busy time in brackets). The IdP (the emulator) runs in the`,
    `same thread and is its own row. Load average ${loadavg()[0]!.toFixed(1)} when written (the profiled load itself keeps both cores busy): read each column against the built-in of the same backend in the same run.`,
    '',
  );
  lines.push(`| step | ${rows.map(r => r.label).join(' | ')} |`);
  lines.push(`|---|${rows.map(() => '---:').join('|')}|`);
  const names = [...new Set(rows.flatMap(r => r.phases.map(p => p.name)))];
  const key = (n: string) => -Math.max(...rows.map(r => (r.phases.find(p => p.name === n)?.ms ?? 0) / Math.max(1, r.signIns)));
  for (const n of names.sort((a, b) => key(a) - key(b))) {
    lines.push(`| ${n} | ${rows.map(r => {
      const p = r.phases.find(x => x.name === n);
      return p ? `${fmt((p.ms * 1000) / Math.max(1, r.signIns))} (${(p.share * 100).toFixed(0)} %)` : '–';
    }).join(' | ')} |`);
  }
  lines.push(`| **total busy CPU per ${kind}** | ${rows.map(r => `**${fmt((r.busyMs * 1000) / Math.max(1, r.signIns))}**`).join(' | ')} |`);
  lines.push(
    `| of the total: self time in the package's own code (src/ except the emulator, and jsonwebtoken, jws, jwa, jwks-rsa, passport-oauth2, oauth when called from it) | ${rows
      .map(r => (r.ownMs === undefined ? '' : `${fmt((r.ownMs * 1000) / Math.max(1, r.signIns))} (${((r.ownMs / r.busyMs) * 100).toFixed(0)} %)`))
      .join(' | ')} |`,
  );
  lines.push(`| ${kind === 'sign-in' ? `sign-ins in the profiled ${seconds} s` : 'cold refreshes profiled'} | ${rows.map(r => fmt(r.signIns)).join(' | ')} |`);
  return lines.join('\n');
}
