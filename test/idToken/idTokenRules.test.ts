import { createPrivateKey, generateKeyPairSync, randomUUID, sign as cryptoSign, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { IdTokenVerifier } from '../../src/oidc/IdTokenVerifier';
import { startLocalIssuer, type LocalIssuer } from '../support/localIssuer';
import { registerSecret } from '../support/secrets';
import { verifierRefusal } from '../support/verifierRefusal';

/*
 * The rules of RFC 7515 section 4 (JOSE header), RFC 7519 (claim types), OIDC
 * Core section 2 (sub, aud, azp) and OIDC Core 3.1.3.7 (ID token validation,
 * step by step), on a frozen clock against real RS256 keys on loopback.
 */
const CLIENT_ID = 'rules-client';
const NOW_MS = Date.UTC(2026, 11, 1, 12, 0, 0);
const NOW = NOW_MS / 1000;
const NONCE = 'nonce-for-the-rules-0123456789abcdef';

let issuer: LocalIssuer;
let verifier: IdTokenVerifier;

function claims(overrides: Record<string, unknown> = {}) {
  return { iss: issuer.issuer, aud: CLIENT_ID, sub: 'user-1', iat: NOW - 10, exp: NOW + 300, nonce: NONCE, ...overrides };
}

/** RS256 with the issuer's key and these header fields (jsonwebtoken writes the header). */
function withHeader(header: Record<string, unknown>, body: Record<string, unknown> = claims()): string {
  const token = jwt.sign(body, issuer.privateKey, { algorithm: 'RS256', header: { alg: 'RS256', kid: issuer.kid, ...header } as jwt.JwtHeader });
  registerSecret(token);
  return token;
}

/** A token whose header JSON is exactly `headerJson` (duplicate names cannot be written any other way). */
function withRawHeader(headerJson: string, body: Record<string, unknown> = claims()): string {
  const input = `${Buffer.from(headerJson).toString('base64url')}.${Buffer.from(JSON.stringify(body)).toString('base64url')}`;
  const token = `${input}.${cryptoSign('sha256', Buffer.from(input), issuer.privateKey).toString('base64url')}`;
  registerSecret(token);
  return token;
}

function verifierWith(options: Partial<ConstructorParameters<typeof IdTokenVerifier>[0]> = {}) {
  return new IdTokenVerifier({
    clientId: CLIENT_ID,
    algorithms: ['RS256'],
    clockTolerance: 5,
    endpoints: async () => ({ issuer: issuer.issuer, jwksUrl: issuer.jwksUrl }),
    clock: () => NOW_MS,
    ...options,
  });
}

const refusal = (token: unknown, using = verifier, expected: { nonce?: string; maxAge?: number; acrValues?: string[] } = { nonce: NONCE }) =>
  verifierRefusal(using, token, expected);

beforeAll(async () => {
  issuer = await startLocalIssuer();
});
afterAll(() => issuer?.close());
beforeEach(() => {
  verifier = verifierWith();
});

describe('RFC 7515 section 4: the JOSE header asks only for what we implement', () => {
  it('accepts a plain header with typ JWT (control)', async () => {
    await expect(verifier.verify(withHeader({ typ: 'JWT' }), { nonce: NONCE })).resolves.toMatchObject({ sub: 'user-1' });
    await expect(verifier.verify(withHeader({ typ: 'application/jwt' }), { nonce: NONCE })).resolves.toBeDefined();
  });

  it.each([
    ['an extension name', ['exp'], 'names an extension'],
    ['an empty array', [], 'empty array'],
    ['a string, not an array', 'b64', 'not an array'],
    ['a non-string entry', [42], 'not a list of names'],
    ['a registered header name', ['alg'], 'registered header parameter'],
    ['a name the header does not carry', ['urn:example:absent'], 'does not carry'],
  ])('refuses "crit" holding %s (4.1.11), before any JWKS request', async (_what, crit, fragment) => {
    const before = issuer.jwksRequests();
    const error = await refusal(withHeader({ crit, exp: 1 }));
    expect(error).toMatchObject({ code: 'ERR_ID_TOKEN_HEADER', claim: 'crit' });
    expect(error.message).toContain(fragment);
    expect(issuer.jwksRequests()).toBe(before);
  });

  it.each(['jwk', 'jku', 'x5u', 'x5c'])('refuses a header carrying its own key or key location "%s"', async name => {
    const value = name === 'jwk' ? { kty: 'oct', k: 'AAAA' } : name === 'x5c' ? ['MIIB'] : 'https://evil.example.com/keys';
    const error = await refusal(withHeader({ [name]: value }));
    expect(error).toMatchObject({ code: 'ERR_ID_TOKEN_HEADER', claim: name });
  });

  it('refuses "b64": false (RFC 7797 unencoded payload)', async () => {
    expect(await refusal(withHeader({ b64: false }))).toMatchObject({ code: 'ERR_ID_TOKEN_HEADER', claim: 'b64' });
  });

  it.each([
    ['zip', { zip: 'DEF' }],
    ['enc', { enc: 'A256GCM' }],
  ])('refuses "%s" on a JWS (only signed ID tokens are supported)', async (name, header) => {
    expect(await refusal(withHeader(header))).toMatchObject({ code: 'ERR_ID_TOKEN_HEADER', claim: name });
  });

  it.each(['at+jwt', 'logout+jwt', 'secevent+jwt', 'JOSE'])('refuses typ "%s": another kind of token (RFC 8725 section 3.11)', async typ => {
    expect(await refusal(withHeader({ typ }))).toMatchObject({ code: 'ERR_ID_TOKEN_HEADER', claim: 'typ' });
  });

  it('refuses "cty" (a nested JWT is not a claims set)', async () => {
    expect(await refusal(withHeader({ cty: 'JWT' }))).toMatchObject({ code: 'ERR_ID_TOKEN_HEADER', claim: 'cty' });
  });

  it.each([
    ['a number', 7],
    ['an empty string', ''],
  ])('refuses a "kid" that is %s (4.1.4: a string)', async (_what, kid) => {
    expect(await refusal(withRawHeader(JSON.stringify({ alg: 'RS256', kid })))).toMatchObject({ code: 'ERR_ID_TOKEN_HEADER', claim: 'kid' });
  });

  it('refuses "alg": "none" and a missing alg in the header itself', async () => {
    expect(await refusal(withRawHeader(JSON.stringify({ alg: 'none', kid: issuer.kid })))).toMatchObject({ code: 'ERR_ID_TOKEN_ALGORITHM', claim: 'alg' });
    expect(await refusal(withRawHeader(JSON.stringify({ kid: issuer.kid })))).toMatchObject({ code: 'ERR_ID_TOKEN_ALGORITHM', claim: 'alg' });
  });

  it('reads duplicate header names as the lexically last (RFC 7515 section 4): a trailing "alg": "none" is refused', async () => {
    const header = `{"alg":"RS256","kid":"${issuer.kid}","alg":"none"}`;
    expect(await refusal(withRawHeader(header))).toMatchObject({ code: 'ERR_ID_TOKEN_ALGORITHM' });
  });

  it('reads a header that is not a JSON object as malformed', async () => {
    expect((await refusal(withRawHeader('["RS256"]'))).code).toBe('ERR_ID_TOKEN_INVALID');
  });
});

describe('RFC 7519 claim types', () => {
  it.each([
    ['exp', '2026-12-01T12:05:00Z'],
    ['exp', Number.POSITIVE_INFINITY],
    ['iat', String(NOW)],
    ['nbf', 'yesterday'],
    ['auth_time', 'just now'],
  ])('refuses "%s" = %s: not a NumericDate', async (claim, value) => {
    // jsonwebtoken will not sign these, and 1e400 (Infinity once parsed) has no JSON.stringify spelling: sign the bytes.
    const spelt = typeof value === 'number' ? '1e400' : JSON.stringify(value);
    const token = rawToken(JSON.stringify(claims({ [claim]: 0 })).replace(`"${claim}":0`, `"${claim}":${spelt}`));
    expect(await refusal(token)).toMatchObject({ code: 'ERR_ID_TOKEN_CLAIM', claim });
  });

  it.each([
    ['iss', 42],
    ['sub', 42],
    ['sub', '1user:not a uri'],
    ['aud', 42],
    ['aud', [CLIENT_ID, 42]],
    ['aud', []],
    ['azp', 42],
    ['nonce', 42],
  ])('refuses "%s" = %j: not a StringOrURI / string', async (claim, value) => {
    expect(await refusal(issuer.sign(claims({ [claim]: value })))).toMatchObject({ code: 'ERR_ID_TOKEN_CLAIM', claim });
  });

  it('accepts a sub that is a URI (control)', async () => {
    await expect(verifier.verify(issuer.sign(claims({ sub: 'urn:spectrocloud:user:1' })), { nonce: NONCE })).resolves.toBeDefined();
  });
});

describe('OIDC Core section 2: sub is a locally unique identifier', () => {
  it.each([
    ['empty', ''],
    ['whitespace only', '   '],
    ['over 255 characters', 'u'.repeat(256)],
    ['outside printable ASCII', 'usér-1'],
    ['with a control character', 'user\n1'],
  ])('refuses a sub that is %s', async (_what, sub) => {
    expect(await refusal(issuer.sign(claims({ sub })))).toMatchObject({ code: 'ERR_ID_TOKEN_CLAIM', claim: 'sub' });
  });

  it('accepts a sub of exactly 255 characters (control)', async () => {
    await expect(verifier.verify(issuer.sign(claims({ sub: 'u'.repeat(255) })), { nonce: NONCE })).resolves.toBeDefined();
  });

  it('accepts several audiences when azp is our client id (control)', async () => {
    await expect(verifier.verify(issuer.sign(claims({ aud: ['other', CLIENT_ID], azp: CLIENT_ID })), { nonce: NONCE })).resolves.toBeDefined();
  });
});

describe('OIDC Core 3.1.3.7, step by step', () => {
  it('1: refuses an encrypted ID token (a JWE) as not decryptable here', async () => {
    const jwe = ['eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ', 'a', 'b', 'c', 'd'].join('.');
    expect((await refusal(jwe)).code).toBe('ERR_ID_TOKEN_INVALID');
  });

  it('2: refuses an iss other than the issuer', async () => {
    expect(await refusal(issuer.sign(claims({ iss: `${issuer.issuer}/other` })))).toMatchObject({ code: 'ERR_ID_TOKEN_CLAIM', claim: 'iss' });
  });

  it('3: refuses an aud that does not list our client, and a missing aud', async () => {
    expect(await refusal(issuer.sign(claims({ aud: 'someone-else' })))).toMatchObject({ claim: 'aud' });
    const { aud: _aud, ...noAud } = claims();
    expect(await refusal(issuer.sign(noAud))).toMatchObject({ claim: 'aud' });
  });

  it('4: refuses several audiences without azp', async () => {
    expect(await refusal(issuer.sign(claims({ aud: [CLIENT_ID, 'other'] })))).toMatchObject({ claim: 'azp' });
  });

  it('5: refuses an azp other than our client id, even with one audience', async () => {
    expect(await refusal(issuer.sign(claims({ azp: 'other' })))).toMatchObject({ claim: 'azp' });
  });

  it('6: refuses a bad signature', async () => {
    const foreign = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    expect((await refusal(issuer.sign(claims(), { key: foreign }))).code).toBe('ERR_ID_TOKEN_SIGNATURE');
  });

  it('7: refuses an algorithm outside the allow-list', async () => {
    expect((await refusal(issuer.sign(claims(), { alg: 'RS384' }))).code).toBe('ERR_ID_TOKEN_ALGORITHM');
  });

  it('8: refuses HMAC algorithms (no client-secret-keyed ID tokens)', async () => {
    expect((await refusal(issuer.sign(claims(), { alg: 'HS256', key: Buffer.from('client-secret-as-key') }))).code).toBe('ERR_ID_TOKEN_ALGORITHM');
  });

  it('9: refuses an expired token', async () => {
    expect((await refusal(issuer.sign(claims({ exp: NOW - 60 })))).code).toBe('ERR_ID_TOKEN_EXPIRED');
  });

  it('10: refuses an iat in the future', async () => {
    expect(await refusal(issuer.sign(claims({ iat: NOW + 60 })))).toMatchObject({ claim: 'iat' });
  });

  it('11: refuses a missing or other nonce', async () => {
    expect(await refusal(issuer.sign(claims({ nonce: 'other-nonce-0123456789' })))).toMatchObject({ claim: 'nonce' });
    const { nonce: _nonce, ...noNonce } = claims();
    expect(await refusal(issuer.sign(noNonce))).toMatchObject({ claim: 'nonce' });
  });

  it('12: with acr_values, refuses a missing acr or one not among them; an acr is a string either way', async () => {
    const asked = { nonce: NONCE, acrValues: ['urn:mfa', 'urn:hwk'] };
    expect(await refusal(issuer.sign(claims()), verifier, asked)).toMatchObject({ claim: 'acr' });
    expect(await refusal(issuer.sign(claims({ acr: 'urn:password' })), verifier, asked)).toMatchObject({ claim: 'acr' });
    await expect(verifier.verify(issuer.sign(claims({ acr: 'urn:hwk' })), asked)).resolves.toBeDefined();
    expect(await refusal(issuer.sign(claims({ acr: 1 })))).toMatchObject({ claim: 'acr' });
  });

  it('13: with max_age, refuses a missing or stale auth_time', async () => {
    expect(await refusal(issuer.sign(claims()), verifier, { nonce: NONCE, maxAge: 60 })).toMatchObject({ claim: 'auth_time' });
    expect(await refusal(issuer.sign(claims({ auth_time: NOW - 600 })), verifier, { nonce: NONCE, maxAge: 60 })).toMatchObject({ claim: 'auth_time' });
  });
});

describe('size limit', () => {
  it('refuses a token over maxIdTokenBytes before reading it (no JWKS request)', async () => {
    const small = verifierWith({ maxIdTokenBytes: 1024 });
    const before = issuer.jwksRequests();
    const error = await refusal(issuer.sign(claims({ padding: 'x'.repeat(1024) })), small);
    expect(error.code).toBe('ERR_ID_TOKEN_TOO_LARGE');
    expect(issuer.jwksRequests()).toBe(before);
  });

  it('accepts a token just under the limit (control)', async () => {
    const token = issuer.sign(claims());
    await expect(verifierWith({ maxIdTokenBytes: Buffer.byteLength(token) }).verify(token, { nonce: NONCE })).resolves.toBeDefined();
  });
});

describe('requireVerifiedEmail', () => {
  it('refuses a token without email_verified when required', async () => {
    const strict = verifierWith({ requireVerifiedEmail: true });
    expect(await refusal(issuer.sign(claims({ email: 'a@example.com' })), strict)).toMatchObject({ code: 'ERR_ID_TOKEN_CLAIM', claim: 'email_verified' });
    await expect(strict.verify(issuer.sign(claims({ email: 'a@example.com', email_verified: true })), { nonce: NONCE })).resolves.toBeDefined();
  });

  it('accepts a token without email_verified by default (SpectroCloud addresses are tenant-managed)', async () => {
    await expect(verifier.verify(issuer.sign(claims({ email: 'a@example.com' })), { nonce: NONCE })).resolves.toBeDefined();
  });
});

describe('the cap on keys taken from a JWKS', () => {
  let server: Server;
  let jwksUrl: string;
  const keys: Array<{ kid: string; privateKey: KeyObject }> = [];

  beforeAll(async () => {
    for (let i = 0; i < 17; i++) {
      const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
      keys.push({ kid: randomUUID(), privateKey: createPrivateKey(pair.privateKey.export({ format: 'pem', type: 'pkcs8' })) });
      (keys[i] as { publicJwk?: object }).publicJwk = pair.publicKey.export({ format: 'jwk' });
    }
    server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: keys.map(k => ({ ...(k as { publicJwk?: object }).publicJwk, kid: k.kid, alg: 'RS256', use: 'sig' })) }));
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/keys`;
  });
  afterAll(() => new Promise<void>(resolve => server.close(() => resolve())));

  function signedBy(index: number) {
    const token = jwt.sign(claims(), keys[index].privateKey, { algorithm: 'RS256', keyid: keys[index].kid });
    registerSecret(token);
    return token;
  }

  it('uses the first 16 keys of a set and ignores the 17th', async () => {
    const capped = verifierWith({ endpoints: async () => ({ issuer: issuer.issuer, jwksUrl }), jwksRefetchIntervalMs: 0 });
    await expect(capped.verify(signedBy(15), { nonce: NONCE })).resolves.toBeDefined();
    expect((await refusal(signedBy(16), capped)).code).toBe('ERR_ID_TOKEN_SIGNATURE');
  });
});

/** A token over exactly these payload bytes (for values JSON.stringify cannot write, such as 1e400). */
function rawToken(payloadJson: string): string {
  const input = `${Buffer.from(JSON.stringify({ alg: 'RS256', kid: issuer.kid })).toString('base64url')}.${Buffer.from(payloadJson).toString('base64url')}`;
  const token = `${input}.${cryptoSign('sha256', Buffer.from(input), issuer.privateKey).toString('base64url')}`;
  registerSecret(token);
  return token;
}
