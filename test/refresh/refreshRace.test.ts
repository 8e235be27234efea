import { createHash, randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startLegacyBackendProcess, type LegacyBackendProcess } from '../support/legacyBackendProcess';
import { redisInfo, waitUntil } from '../support/redisCommand';
import { getFreePort, startRedisServer, type RedisTestServer } from '../support/redisServer';
import { BACKEND_KINDS, callback, CookieJar, logout, refresh, startSignIn, type BackendKind } from '../support/spectroFixture';
import { ACCOUNTS, CLIENT_ID, CLIENT_SECRET } from '../support/standardIssuerFixture';
import { registerSecret } from '../support/secrets';
import { startStandardOidcServer, type StandardOidcServer } from '../support/standardOidcServer';

/**
 * backstage/backstage#12917, issue 26: tabs (or replicas) refreshing at once
 * present the same refresh token, and an IdP that rotates refresh tokens with
 * reuse detection (oidc-provider here, RFC 9700 4.14.2) revokes the grant on
 * the second presentation. Real parts only: oidc-provider in this process,
 * each backend replica its own Node process (no shared memory), one real
 * redis-server between two replicas, every tab its own cookie jar.
 */

const TABS = 8;
const ALICE = 'alice@example.com';

describe('oidc-provider with rotation revokes the grant when a refresh token is replayed (what the backend must never do)', () => {
  let op: StandardOidcServer;
  beforeAll(async () => {
    op = await startStandardOidcServer({ redirectUris: ['http://127.0.0.1:9/cb'], clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, accounts: ACCOUNTS, rotateRefreshTokens: true });
  });
  afterAll(() => op?.close());

  it('answers a second presentation of one refresh token with invalid_grant and revokes the rotated token with it', async () => {
    const code = await codeFrom(op);
    const first = await tokenCall(op, { grant_type: 'authorization_code', code, redirect_uri: 'http://127.0.0.1:9/cb', code_verifier: VERIFIER });
    const rotated = await tokenCall(op, { grant_type: 'refresh_token', refresh_token: first.body.refresh_token });
    expect(rotated.status).toBe(200);
    const replay = await tokenCall(op, { grant_type: 'refresh_token', refresh_token: first.body.refresh_token });
    expect(replay.status).toBe(400);
    expect(replay.body.error).toBe('invalid_grant');
    // The whole grant is gone: the winner's rotated token is refused too. This is the sign-out the race causes.
    expect(op.revokedGrants).toHaveLength(1);
    expect((await tokenCall(op, { grant_type: 'refresh_token', refresh_token: rotated.body.refresh_token })).body.error).toBe('invalid_grant');
  });
});

describe.each(BACKEND_KINDS)('%s backend', kind => {
  describe.each([
    { replicas: 1, store: 'memory' },
    { replicas: 1, store: 'redis' },
    { replicas: 2, store: 'redis' },
  ])('$replicas replica(s), $store token store', ({ replicas: count, store }) => {
    let op: StandardOidcServer;
    let redis: RedisTestServer | undefined;
    let replicas: LegacyBackendProcess[] = [];

    beforeAll(async () => {
      if (store === 'redis') redis = await startRedisServer();
      // A port found free can be taken by another process before a replica listens on it (a loaded machine,
      // CI's side jobs): then everything starts again on new ports, three times at most.
      for (let attempt = 1; ; attempt++) {
        const ports = await Promise.all(Array.from({ length: count }, () => getFreePort()));
        op = await startStandardOidcServer({
          redirectUris: ports.map(port => `http://127.0.0.1:${port}/api/auth/spectrocloud/handler/frame`),
          clientId: CLIENT_ID,
          clientSecret: CLIENT_SECRET,
          accounts: ACCOUNTS,
          rotateRefreshTokens: true,
        });
        const started = await Promise.allSettled(ports.map(port => startReplica(kind, port, op, redis)));
        replicas = started.flatMap(result => (result.status === 'fulfilled' ? [result.value] : []));
        const failed = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
        if (!failed) break;
        await Promise.all(replicas.map(replica => replica.close()));
        await op.close();
        replicas = [];
        if (attempt === 3 || !/EADDRINUSE/.test(String((failed.reason as Error)?.message))) throw failed.reason;
      }
      // Each replica is a Node process loading Backstage through tsx: slow on a loaded 2-core machine.
    }, 180_000);
    afterAll(async () => {
      await Promise.all(replicas.map(replica => replica.close()));
      await op?.close();
      await redis?.stop();
    });
    afterEach(() => expect(op.serverErrors).toEqual([]));

    it(`${TABS} tabs refreshing one session at once are all answered, the IdP makes one grant, and the user stays signed in`, async () => {
      const jar = await signIn(replicas[0], op);
      const tabs = Array.from({ length: TABS }, () => jar.copy());
      const callsBefore = op.tokenCalls.length;

      // "At once", arranged rather than timed: the first grant is held at the IdP until every replica has a
      // refresh of this session in hand (with Redis: the other replica's claim was refused, so it waits).
      const held = op.holdNextCall('/token');
      const setsBefore = redis ? await redisSetCalls(redis) : 0;
      // Tab i goes to replica i mod n, as a load balancer without sticky sessions would send it.
      const answering = Promise.all(tabs.map((tab, i) => refresh({ backend: replicas[i % count] }, tab)));
      await held.arrived;
      if (redis) await waitUntil('every replica to try the claim', 30_000, async () => ((await redisSetCalls(redis!)) >= setsBefore + count ? true : undefined), 10);
      held.release();
      const answers = await answering;

      expect(answers.map(answer => answer.status)).toEqual(Array(TABS).fill(200));
      expect(new Set(answers.map(answer => answer.body.backstageIdentity.identity.userEntityRef))).toEqual(new Set(['user:default/alice']));
      // Mapped first: a failing assertion must not print the refresh token the call carried.
      expect(op.tokenCalls.slice(callsBefore).map(({ grantType, error }) => ({ grantType, error }))).toEqual([{ grantType: 'refresh_token', error: undefined }]);
      expect(op.revokedGrants).toEqual([]);
      // Every tab left with a new refresh cookie (sealed afresh each time, so the values differ; the token inside is the rotated one).
      const original = jar.values.get('spectrocloud-refresh-token');
      expect(tabs.filter(tab => tab.values.get('spectrocloud-refresh-token') === original)).toEqual([]);

      // Still signed in, in every tab: the first of these refreshes is a real grant with the rotated token,
      // the others present that same rotated token and are answered with its result.
      const afterRace = op.tokenCalls.length;
      for (const [i, tab] of tabs.entries()) {
        const next = await refresh({ backend: replicas[(i + 1) % count] }, tab);
        expect(next.status).toBe(200);
      }
      expect(op.tokenCalls.slice(afterRace).map(({ grantType, error }) => ({ grantType, error }))).toEqual([{ grantType: 'refresh_token', error: undefined }]);
      expect(op.revokedGrants).toEqual([]);
    });

    it('a tab still holding the cookie from before a sign-out is refused, though a shared result for it exists', async () => {
      const jar = await signIn(replicas[0], op);
      const late = jar.copy();
      expect((await refresh({ backend: replicas[0] }, jar)).status).toBe(200); // leaves the shared result for the old token
      expect((await logout({ backend: replicas[0] }, jar)).status).toBe(200);
      const answer = await refresh({ backend: replicas[count - 1] }, late);
      expect(answer.status).toBe(401);
      expect(answer.body.error.message).toContain('This session was signed out; sign in again');
    });

    // Needs a second replica: the one waiting on another's claim.
    if (count === 2) it('a sign-out while a grant is in flight is not undone by its result: the winner and the waiting replica both refuse', async () => {
      const [a, b] = replicas;
      const jar = await signIn(a, op);
      const [winnerTab, loserTab] = [jar.copy(), jar.copy()];
      const grantHeld = op.holdNextCall('/token');
      const won = refresh({ backend: a }, winnerTab);
      await grantHeld.arrived; // A holds the claim and waits for the IdP
      let sets = await redisSetCalls(redis!);
      const lost = refresh({ backend: b }, loserTab);
      // B has checked for sign-out and tried the claim (a refused SET NX): it waits for A's result now.
      await waitUntil('the waiting replica to try the claim', 30_000, async () => ((await redisSetCalls(redis!)) > sets ? true : undefined), 10);
      // Sign-out records the revocation in Redis, then revokes at the IdP: hold that call, so the grant in flight still succeeds.
      const revocationHeld = op.holdNextCall('/token/revocation');
      sets = await redisSetCalls(redis!);
      const signedOut = logout({ backend: a }, jar);
      await revocationHeld.arrived;
      expect(await redisSetCalls(redis!)).toBeGreaterThan(sets);
      grantHeld.release();
      for (const answer of await Promise.all([won, lost])) {
        expect(answer.status).toBe(401);
        expect(answer.body.error.message).toContain('This session was signed out; sign in again');
      }
      // The grant did succeed at the IdP: only the revocation check stood between its result and the tabs.
      expect(op.tokenCalls.at(-1)).toMatchObject({ grantType: 'refresh_token' });
      expect(op.tokenCalls.at(-1)?.error).toBeUndefined();
      revocationHeld.release();
      expect((await signedOut).status).toBe(200);
    });
  });
});

async function startReplica(kind: BackendKind, port: number, op: StandardOidcServer, redis: RedisTestServer | undefined): Promise<LegacyBackendProcess> {
  return startLegacyBackendProcess({
    kind,
    port,
    users: [['alice', ALICE]],
    providers: {
      spectrocloud: {
        ...(redis ? { tokenStore: { type: 'redis', redis: { url: redis.url } } } : {}),
        development: {
          clientId: CLIENT_ID,
          clientSecret: CLIENT_SECRET,
          authorizationUrl: op.authorizationUrl,
          additionalScopes: ['offline_access'],
          prompt: 'consent',
          // Every /refresh a refresh grant: without this the 60 s reuse would hide the race.
          refreshGrantInterval: 0,
          signIn: { resolvers: [{ resolver: 'emailMatchingUserEntityProfileEmail' }] },
        },
      },
    },
  });
}

/** How many SET commands Redis has run (claims, results, revocations): the order of events, not a clock. */
async function redisSetCalls(redis: RedisTestServer): Promise<number> {
  const stats = await redisInfo(redis.port, 'commandstats');
  return Number(/calls=(\d+)/.exec(stats.cmdstat_set ?? '')?.[1] ?? 0);
}

async function signIn(replica: LegacyBackendProcess, op: StandardOidcServer): Promise<CookieJar> {
  const jar = new CookieJar();
  const start = await startSignIn({ backend: replica }, jar);
  if (start.status !== 302) throw new Error(`start answered ${start.status}`);
  const frame = await callback({ backend: replica }, jar, await op.authorize(start.headers.location, ALICE));
  expect(frame.message.error).toBeUndefined();
  return jar;
}

// --- the IdP alone: one authorization code and the token endpoint, as a client would call them ---

const VERIFIER = randomBytes(32).toString('base64url');

async function codeFrom(op: StandardOidcServer): Promise<string> {
  const url = new URL(op.authorizationUrl);
  const query = {
    client_id: CLIENT_ID,
    response_type: 'code',
    redirect_uri: 'http://127.0.0.1:9/cb',
    scope: 'openid email offline_access',
    prompt: 'consent',
    nonce: randomBytes(16).toString('base64url'),
    code_challenge: createHash('sha256').update(VERIFIER).digest('base64url'),
    code_challenge_method: 'S256',
  };
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  const code = new URL(await op.authorize(url.toString(), ALICE)).searchParams.get('code');
  if (!code) throw new Error('oidc-provider gave no code');
  return code;
}

async function tokenCall(op: StandardOidcServer, form: Record<string, string>): Promise<{ status: number; body: Record<string, string> }> {
  const response = await fetch(`${op.issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...form, client_id: CLIENT_ID, client_secret: CLIENT_SECRET }),
  });
  const body = (await response.json()) as Record<string, string>;
  registerSecret(body.refresh_token);
  registerSecret(body.access_token);
  registerSecret(body.id_token);
  return { status: response.status, body };
}
