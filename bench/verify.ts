// Figure 3: ID-token verification throughput of our IdTokenVerifier (JWKS cache
// warm) against bare crypto.verify of the same RS256 token, and how many JWKS
// fetches 10,000 sign-ins' worth of verifications cause.
import { createPublicKey, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { DEFAULT_DISCOVERY_REFRESH_SECONDS, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT_MS } from '../src/config/readEnvironmentConfig';
import { OutboundClient } from '../src/http/OutboundClient';
import { EndpointResolver } from '../src/oidc/EndpointResolver';
import { IdTokenVerifier } from '../src/oidc/IdTokenVerifier';
import { startSpectroCloudEmulator, type SpectroCloudEmulator } from '../src/testing';
import type { Settings } from './settings';

const CLIENT_ID = 'bench-verify';

export interface VerifyRow {
  name: string;
  opsPerSec: number;
  /** microseconds per verification */
  usPerOp: number;
}

export interface VerifyFigure {
  rows: VerifyRow[];
  oursPerSec: number;
  barePerSec: number;
  jwks: {
    verifications: number;
    keySets: number;
    fetches: number;
    concurrency: number;
    failures: number;
    firstFailure?: string;
  };
}

/**
 * Built as the sign-in service builds it (src/composition/createSignInService.ts):
 * endpoints from discovery through an EndpointResolver, JWKS through the one
 * outbound client; each verification checks `nonce` as a sign-in does.
 */
function newVerifier(emulator: SpectroCloudEmulator) {
  const http = new OutboundClient({ timeoutMs: DEFAULT_TIMEOUT_MS, maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES });
  const endpoints = new EndpointResolver({ authorizationUrl: emulator.authorizationUrl, issuer: emulator.issuer, discoveryRefreshInterval: DEFAULT_DISCOVERY_REFRESH_SECONDS }, http);
  return new IdTokenVerifier({
    clientId: CLIENT_ID,
    algorithms: ['RS256'],
    clockTolerance: 60,
    http,
    endpoints: () => endpoints.resolve(),
    resolvedEndpoints: () => endpoints.resolved(),
  });
}

function signTokens(emulator: SpectroCloudEmulator, count: number): Array<{ token: string; nonce: string }> {
  return Array.from({ length: count }, (_, i) => {
    const nonce = `bench-nonce-${i}-${Math.random().toString(36).slice(2)}`;
    return { token: emulator.signIdToken(emulator.idTokenClaims('alice@example.com', { nonce })), nonce };
  });
}

/** Runs `op` back to back for `seconds`; returns operations per second. */
async function timeAsync(seconds: number, op: () => Promise<unknown>): Promise<number> {
  let n = 0;
  const end = performance.now() + seconds * 1000;
  const t0 = performance.now();
  while (performance.now() < end) {
    for (let i = 0; i < 50; i++) await op();
    n += 50;
  }
  return n / ((performance.now() - t0) / 1000);
}

function timeSync(seconds: number, op: () => unknown): number {
  let n = 0;
  const end = performance.now() + seconds * 1000;
  const t0 = performance.now();
  while (performance.now() < end) {
    for (let i = 0; i < 50; i++) op();
    n += 50;
  }
  return n / ((performance.now() - t0) / 1000);
}

export async function verifyFigure(settings: Settings): Promise<VerifyFigure> {
  const emulator = await startSpectroCloudEmulator({
    clients: [{ clientId: CLIENT_ID, clientSecret: 'bench-verify-secret', redirectUris: ['http://127.0.0.1/callback'] }],
    users: [{ email: 'alice@example.com', given_name: 'Alice', family_name: 'Example' }],
  });
  try {
    const [{ token, nonce }] = signTokens(emulator, 1);
    const [signingInput, signature] = [token.slice(0, token.lastIndexOf('.')), token.slice(token.lastIndexOf('.') + 1)];
    const jwk = emulator.jwks.keys.find(k => k.kid === emulator.currentKid)!;
    const keyObject: KeyObject = createPublicKey({ key: jwk as any, format: 'jwk' });
    const pem = keyObject.export({ format: 'pem', type: 'spki' }).toString();
    const signatureBytes = Buffer.from(signature, 'base64url');
    const input = Buffer.from(signingInput);
    const jwtOptions: jwt.VerifyOptions = { algorithms: ['RS256'], issuer: emulator.issuer, audience: CLIENT_ID };

    const verifier = newVerifier(emulator);
    const claims = await verifier.verify(token, { nonce }); // warms the JWKS cache
    if (claims.email !== 'alice@example.com') throw new Error('verifier returned unexpected claims');
    if (!cryptoVerify('RSA-SHA256', input, keyObject, signatureBytes)) throw new Error('bare crypto.verify refused the token');

    const s = settings.verifySeconds;
    const rows: VerifyRow[] = [];
    const add = (name: string, opsPerSec: number) => {
      rows.push({ name, opsPerSec, usPerOp: 1e6 / opsPerSec });
      console.log(`   ${name.padEnd(62)} ${opsPerSec.toFixed(0).padStart(7)} /s  ${(1e6 / opsPerSec).toFixed(1).padStart(6)} µs`);
    };
    // Interleave the sides (A B A B) and keep each side's better half, so a
    // burst of noise on this shared machine does not land on one side only.
    const bare = () => cryptoVerify('RSA-SHA256', input, keyObject, signatureBytes);
    const ours = () => verifier.verify(token, { nonce });
    const bareRuns = [timeSync(s / 2, bare)];
    const oursRuns = [await timeAsync(s / 2, ours)];
    bareRuns.push(timeSync(s / 2, bare));
    oursRuns.push(await timeAsync(s / 2, ours));
    const barePerSec = Math.max(...bareRuns);
    const oursPerSec = Math.max(...oursRuns);
    add('bare crypto.verify(RSA-SHA256), KeyObject made once (ceiling)', barePerSec);
    add('ours: IdTokenVerifier.verify, JWKS cache warm', oursPerSec);
    // Where the difference goes (diagnostics, same token):
    add('  jsonwebtoken.verify with a cached KeyObject', timeSync(s / 3, () => jwt.verify(token, keyObject, jwtOptions)));
    add('  jsonwebtoken.verify with a PEM string (parsed every call)', timeSync(s / 3, () => jwt.verify(token, pem, jwtOptions)));
    add('  createPublicKey(PEM) alone', timeSync(s / 3, () => createPublicKey(pem)));

    // JWKS fetches: a cold verifier, `verifications` verifications in waves of
    // `concurrency`, over two key sets (the emulator rotates its key half-way,
    // keeping the old one published, as a tenant does).
    const fresh = newVerifier(emulator);
    const concurrency = 100;
    const before = emulator.stats.jwksRequests;
    let failures = 0;
    let firstFailure: string | undefined;
    let pool = signTokens(emulator, concurrency);
    for (let done = 0; done < settings.jwksVerifications; done += concurrency) {
      if (done === Math.floor(settings.jwksVerifications / 2 / concurrency) * concurrency) {
        emulator.rotateKeys({ keepOld: true });
        pool = signTokens(emulator, concurrency);
      }
      const outcomes = await Promise.allSettled(pool.map(t => fresh.verify(t.token, { nonce: t.nonce })));
      for (const o of outcomes) {
        if (o.status === 'fulfilled') continue;
        failures += 1;
        const reason = o.reason as { code?: string; message?: string; cause?: { message?: string } };
        firstFailure ??= `wave at ${done}: ${reason?.code ?? ''} ${reason?.message ?? String(reason)}${reason?.cause?.message ? ` (${reason.cause.message})` : ''}`;
      }
    }
    const jwks = {
      verifications: settings.jwksVerifications,
      keySets: 2,
      fetches: emulator.stats.jwksRequests - before,
      concurrency,
      failures,
      firstFailure,
    };
    console.log(
      `   JWKS fetches for ${jwks.verifications} verifications (cold start, ${concurrency} at once, key rotated half-way): ${jwks.fetches} for ${jwks.keySets} key sets${failures ? `, ${failures} verifications FAILED, first: ${firstFailure}` : ''}`,
    );
    return { rows, oursPerSec, barePerSec, jwks };
  } finally {
    await emulator.close();
  }
}
