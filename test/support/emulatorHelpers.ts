import { createHash, createPublicKey, randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { expect } from 'vitest';
import {
  startSpectroCloudEmulator,
  type EmulatorUser,
  type SpectroCloudEmulator,
  type SpectroCloudEmulatorOptions,
} from '../../src/testing';
import { registerSecret } from './secrets';

export const REDIRECT_URI = 'http://localhost:7007/api/auth/spectrocloud/handler/frame';
export const CLIENT = { clientId: 'backstage', clientSecret: `emulator-test-secret-${randomBytes(8).toString('hex')}`, redirectUris: [REDIRECT_URI] };
export const OTHER_CLIENT = { clientId: 'other-app', clientSecret: `other-test-secret-${randomBytes(8).toString('hex')}`, redirectUris: ['http://localhost:3000/callback'] };
registerSecret(CLIENT.clientSecret);
registerSecret(OTHER_CLIENT.clientSecret);

export const ALICE: EmulatorUser = { email: 'alice@example.com', given_name: 'Alice', family_name: 'Example', groups: ['platform-team', 'developers'] };
export const BOB: EmulatorUser = { email: 'bob@example.com', given_name: 'Bob', family_name: 'Builder', groups: ['developers'] };

export function startEmulator(overrides: Partial<SpectroCloudEmulatorOptions> = {}): Promise<SpectroCloudEmulator> {
  return startSpectroCloudEmulator({ clients: [CLIENT, OTHER_CLIENT], users: [ALICE, BOB], autoApprove: true, ...overrides });
}

/** The path of an emulator URL, for supertest bound to `emu.url`. */
export function pathOf(url: string): string {
  const u = new URL(url);
  return u.pathname + u.search;
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export function authParams(extra: Record<string, string> = {}): Record<string, string> {
  return {
    client_id: CLIENT.clientId,
    redirect_uri: REDIRECT_URI,
    response_type: 'code',
    scope: 'openid profile email groups',
    state: 'state-123',
    ...extra,
  };
}

type Agent = ReturnType<typeof request.agent>;

/** GET the authorization endpoint (through an agent when the test needs the session cookie). */
export function authorize(emu: SpectroCloudEmulator, extra: Record<string, string> = {}, agent?: Agent) {
  return (agent ?? request(emu.url)).get(pathOf(emu.authorizationUrl)).query(authParams(extra)).redirects(0);
}

/** The query of the redirect back to the client, with any code registered as a secret. */
export function redirectParams(res: { status: number; headers: Record<string, string> }): URLSearchParams {
  expect(res.status).toBe(302);
  const params = new URL(res.headers.location).searchParams;
  registerSecret(params.get('code'));
  return params;
}

/** login_hint + autoApprove: the code for that user, no page in between. */
export async function codeFor(emu: SpectroCloudEmulator, extra: Record<string, string> = {}): Promise<string> {
  const res = await authorize(emu, { login_hint: ALICE.email, ...extra });
  const code = redirectParams(res).get('code');
  expect(code).toBeTruthy();
  return code!;
}

/** POST to the token endpoint with client_secret_post unless the body says otherwise; registers every token it gets. */
export async function tokenRequest(emu: SpectroCloudEmulator, body: Record<string, string>, basic?: { id: string; secret: string }) {
  let req = request(emu.url).post(pathOf(emu.tokenUrl)).type('form');
  if (basic) req = req.set('Authorization', basicHeader(basic.id, basic.secret));
  const res = await req.send(body);
  for (const key of ['access_token', 'id_token', 'refresh_token']) registerSecret(res.body?.[key]);
  return res;
}

export function exchangeCode(emu: SpectroCloudEmulator, code: string, extra: Record<string, string> = {}) {
  return tokenRequest(emu, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: REDIRECT_URI,
    client_id: CLIENT.clientId,
    client_secret: CLIENT.clientSecret,
    ...extra,
  });
}

/** The whole code flow for Alice; returns the token response body. */
export async function signIn(emu: SpectroCloudEmulator, extra: Record<string, string> = {}) {
  const { verifier, challenge } = pkcePair();
  const code = await codeFor(emu, { code_challenge: challenge, code_challenge_method: 'S256', ...extra });
  const res = await exchangeCode(emu, code, { code_verifier: verifier });
  expect(res.status).toBe(200);
  return res.body as { access_token: string; token_type: string; expires_in: number; id_token: string; refresh_token: string; scope: string };
}

/** RFC 6749 2.3.1: form-urlencode id and secret, then base64 "id:secret". */
export function basicHeader(id: string, secret: string): string {
  const enc = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${enc(id)}:${enc(secret)}`).toString('base64')}`;
}

/** Verifies like a relying party: the JWKS key with the token's kid, RS256 only. */
export async function verifyAgainstJwks(emu: SpectroCloudEmulator, token: string): Promise<jwt.JwtPayload> {
  const res = await request(emu.url).get(pathOf(emu.jwksUrl));
  const kid = jwt.decode(token, { complete: true })?.header.kid;
  const jwk = res.body.keys.find((k: { kid: string }) => k.kid === kid);
  if (!jwk) throw new Error(`no JWKS key with kid ${kid}`);
  const key = createPublicKey({ key: jwk, format: 'jwk' });
  return jwt.verify(token, key, { algorithms: ['RS256'], issuer: emu.issuer, audience: CLIENT.clientId }) as jwt.JwtPayload;
}

/** The path the login or consent page's form posts to. */
export function formAction(html: string, kind: 'login' | 'consent'): string {
  const match = new RegExp(`action="([^"]+/${kind})"`).exec(html);
  if (!match) throw new Error(`no ${kind} form on the page`);
  return pathOf(match[1].replace(/&amp;/g, '&'));
}

/** Polls a condition the emulator reaches on its own (no fixed sleep); fails after `timeoutMs`. */
export async function waitUntil(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise(resolve => setTimeout(resolve, 10));
  }
}
