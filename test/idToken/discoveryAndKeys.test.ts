import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SpectroCloudAuthError } from '../../src/errors';
import { OutboundClient } from '../../src/http/OutboundClient';
import { EndpointResolver } from '../../src/oidc/EndpointResolver';
import { IdTokenVerifier } from '../../src/oidc/IdTokenVerifier';
import { startSpectroCloudEmulator, type SpectroCloudEmulator } from '../../src/testing';
import { startFixture } from '../support/spectroFixture';

const MINUTE = 60_000;

/** A clock the test moves by hand. */
function manualClock(start = Date.now()) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

function client() {
  return new OutboundClient({ timeoutMs: 5_000, maxResponseBytes: 1024 * 1024, proxy: false });
}

async function rejection(promise: Promise<unknown>): Promise<SpectroCloudAuthError> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: SpectroCloudAuthError) => error,
  );
}

describe('discovery (OIDC Discovery 1.0 section 4.3, re-read on a schedule)', () => {
  let server: http.Server;
  let origin = '';
  let document: Record<string, unknown> = {};
  let reads = 0;
  let down = false;
  beforeAll(async () => {
    server = http.createServer((_req, res) => {
      reads++;
      if (down) return void res.writeHead(503).end();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(document));
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise(resolve => server.close(resolve)));

  const issuer = () => `${origin}/v1/oidc/tenant/a`;
  const resolverWith = (clock: () => number) =>
    new EndpointResolver({ authorizationUrl: `${issuer()}/auth`, discoveryRefreshInterval: 3600 }, client(), undefined, clock);
  const documentFor = (tenantIssuer: string, tokenPath = 'token') => ({
    issuer: tenantIssuer,
    token_endpoint: `${tenantIssuer}/${tokenPath}`,
    jwks_uri: `${tenantIssuer}/keys`,
  });

  it("refuses a document naming another tenant's issuer with ERR_DISCOVERY, without falling back", async () => {
    document = documentFor(`${origin}/v1/oidc/tenant/b`);
    const error = await rejection(resolverWith(Date.now).resolve());
    expect(error.code).toBe('ERR_DISCOVERY');
    expect(error.message).toContain('names another issuer than the one it was fetched for (OIDC Discovery 1.0 section 4.3)');
  });

  it('refuses a document whose endpoints are plain http on a non-loopback host', async () => {
    document = { ...documentFor(issuer()), token_endpoint: 'http://tenant.example.com/token' };
    const error = await rejection(resolverWith(Date.now).resolve());
    expect(error.code).toBe('ERR_DISCOVERY');
    expect(error.message).toContain('"token_endpoint" that is not an https URL');
  });

  it('reads the document again after discoveryRefreshInterval and follows moved endpoints, without a restart', async () => {
    const clock = manualClock();
    document = documentFor(issuer(), 'token-v1');
    const resolver = resolverWith(clock.now);
    const readsBefore = reads;
    expect((await resolver.resolve()).tokenUrl).toBe(`${issuer()}/token-v1`);
    document = documentFor(issuer(), 'token-v2');
    clock.advance(59 * MINUTE);
    expect((await resolver.resolve()).tokenUrl).toBe(`${issuer()}/token-v1`);
    expect(reads - readsBefore).toBe(1);
    clock.advance(2 * MINUTE);
    expect((await resolver.resolve()).tokenUrl).toBe(`${issuer()}/token-v2`);
    expect(reads - readsBefore).toBe(2);
  });

  it('keeps the endpoints read before when a later read fails, and tries again later', async () => {
    const clock = manualClock();
    document = documentFor(issuer(), 'token-good');
    const resolver = resolverWith(clock.now);
    expect(await resolver.resolve()).toMatchObject({ tokenUrl: `${issuer()}/token-good`, source: 'discovery' });
    down = true;
    try {
      clock.advance(61 * MINUTE);
      expect(await resolver.resolve()).toMatchObject({ tokenUrl: `${issuer()}/token-good`, source: 'discovery' });
      down = false;
      document = documentFor(issuer(), 'token-moved');
      clock.advance(6 * MINUTE);
      expect((await resolver.resolve()).tokenUrl).toBe(`${issuer()}/token-moved`);
    } finally {
      down = false;
    }
  });

  it('shows the user ERR_DISCOVERY at sign-in when the tenant serves another issuer', async () => {
    const fixture = await startFixture({
      providerConfig: emulator => {
        emulator.setFaults({ discoveryIssuer: 'https://console.spectrocloud.com/v1/oidc/tenant/someone-else' });
        return {
          development: {
            clientId: 'backstage-test-client',
            clientSecret: 'test-client-secret-7f3a9c2e5b1d',
            authorizationUrl: emulator.authorizationUrl,
            signIn: { resolvers: [{ resolver: 'emailMatchingUserEntityProfileEmail' }] },
          },
        };
      },
    });
    try {
      const start = await (await import('supertest')).default(fixture.backend.url).get('/api/auth/spectrocloud/start').query({ env: 'development' });
      expect(start.status).toBeGreaterThanOrEqual(400);
      expect(start.text).toContain('names another issuer');
      expect(start.body.error).toMatchObject({ name: 'SpectroCloudNetworkError', code: 'ERR_DISCOVERY' });
      expect(fixture.backend.logLines.join('\n')).not.toContain('someone-else');
    } finally {
      await fixture.close();
    }
  });
});

describe('signing keys (JWKS) on an injected clock', () => {
  const CLIENT_ID = 'keys-client';
  let emulator: SpectroCloudEmulator;
  beforeAll(async () => {
    emulator = await startSpectroCloudEmulator({
      clients: [{ clientId: CLIENT_ID, clientSecret: 'keys-secret-0123456789', redirectUris: ['http://127.0.0.1/cb'] }],
      users: [{ email: 'alice@example.com' }],
    });
  });
  afterAll(() => emulator.close());

  const verifierWith = (clock: () => number, jwks = { maxAgeMs: 10 * MINUTE, refetchMs: MINUTE }) =>
    new IdTokenVerifier({
      clientId: CLIENT_ID,
      algorithms: ['RS256'],
      clockTolerance: 30,
      http: client(),
      maxIdTokenBytes: 16 * 1024,
      jwksCacheMaxAgeMs: jwks.maxAgeMs,
      jwksRefetchIntervalMs: jwks.refetchMs,
      endpoints: async () => ({ issuer: emulator.issuer, jwksUrl: emulator.jwksUrl }),
      clock,
    });
  const token = (kid?: string) => emulator.signIdToken(emulator.idTokenClaims('alice@example.com'), kid ? { kid } : {});

  it('stops accepting a withdrawn key within jwksCacheMaxAge', async () => {
    const clock = manualClock();
    const verifier = verifierWith(clock.now);
    const oldKid = emulator.currentKid;
    const signedWithOld = token();
    await verifier.verify(signedWithOld);
    emulator.rotateKeys({ keepOld: true });
    emulator.withdrawKey(oldKid);

    clock.advance(10 * MINUTE - 1_000);
    await expect(verifier.verify(signedWithOld)).resolves.toMatchObject({ email: 'alice@example.com' }); // still cached
    clock.advance(1_000);
    const error = await rejection(verifier.verify(signedWithOld));
    expect(error.code).toBe('ERR_ID_TOKEN_SIGNATURE');
    expect(error.message).toContain('withdrawn');
  });

  it('refetches once for an unknown kid, then says the refetch is rate-limited (ERR_JWKS_RATE_LIMITED), and may refetch again after jwksRefetchInterval', async () => {
    const clock = manualClock();
    const verifier = verifierWith(clock.now);
    await verifier.verify(token());
    const fetchesBefore = emulator.stats.jwksRequests;

    const first = await rejection(verifier.verify(token('not-published-1')));
    expect(first.code).toBe('ERR_ID_TOKEN_SIGNATURE');
    expect(emulator.stats.jwksRequests - fetchesBefore).toBe(1);

    for (let i = 2; i <= 12; i++) {
      const limited = await rejection(verifier.verify(token(`not-published-${i}`)));
      expect(limited.code).toBe('ERR_JWKS_RATE_LIMITED');
      expect(limited.message).toContain('asking again is limited to once per 60 s (jwksRefetchInterval)');
      expect(limited.message).not.toMatch(/unreachable or invalid/);
    }
    expect(emulator.stats.jwksRequests - fetchesBefore).toBe(1);
    // Known keys keep working meanwhile.
    await verifier.verify(token());

    clock.advance(MINUTE);
    const kid = emulator.rotateKeys({ keepOld: true });
    await expect(verifier.verify(token(kid))).resolves.toMatchObject({ sub: expect.any(String) });
    expect(emulator.stats.jwksRequests - fetchesBefore).toBe(2);
  });

  it('lets a burst of tokens with a freshly rotated kid share one refetch', async () => {
    const clock = manualClock();
    const verifier = verifierWith(clock.now);
    await verifier.verify(token());
    const fetchesBefore = emulator.stats.jwksRequests;
    emulator.rotateKeys({ keepOld: true });
    const results = await Promise.all(Array.from({ length: 10 }, () => verifier.verify(token())));
    expect(results).toHaveLength(10);
    expect(emulator.stats.jwksRequests - fetchesBefore).toBe(1);
  });
});
