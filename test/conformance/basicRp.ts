import { generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_SECRET } from '../support/spectroFixture';
import type { ConformanceBackend } from './backends';
import { expectRefused, expectSignedIn, signInAt, startConformance, type Conformance } from './harness';

/*
 * The OpenID Foundation's Basic RP plan (oidcc-client-basic-certification-test-plan,
 * response_type code) and the other code-flow modules of its client suite,
 * each test named after its module. One test OP and one backend per backend kind.
 */
export function basicRp(backend: ConformanceBackend): void {
  describe('Basic RP', () => {
    let c: Conformance;
    beforeAll(async () => {
      // An unknown kid may refetch the JWKS at once: the kid-absent cases below fetch twice within a minute.
      c = await startConformance(backend, { environment: { jwksRefetchInterval: 0 } });
    });
    afterEach(() => c.op.resetFaults());
    afterAll(() => c?.close());

    /** Signs in with the OP's ID token replaced by `forge`. */
    async function signInWith(forge: NonNullable<Parameters<Conformance['op']['setFaults']>[0]['idToken']>) {
      c.op.setFaults({ idToken: forge });
      return (await signInAt(c)).frame;
    }

    it('oidcc-client-test: completes the code flow and signs the user in', async () => {
      const { frame } = await signInAt(c);
      expectSignedIn(frame);
      expect(frame.message.response.profile.email).toBe('alice@example.com');
    });

    it('oidcc-client-test-idtoken-sig-rs256: accepts an ID token signed with RS256 by a published key', async () => {
      const { frame } = await signInAt(c);
      expectSignedIn(frame);
      expect(jwt.decode(frame.message.response.providerInfo.idToken, { complete: true })?.header).toMatchObject({ alg: 'RS256', kid: c.op.currentKid });
    });

    it('oidcc-client-test-idtoken-sig-none: refuses an unsigned ID token and makes no userinfo or catalog use of it', async () => {
      const frame = await signInWith(({ claims, sign }) => sign(claims, { alg: 'none' }));
      expectRefused(c, frame, 'ERR_ID_TOKEN_ALGORITHM');
    });

    it('oidcc-client-test-invalid-sig-rs256: refuses an RS256 signature made by another key', async () => {
      const foreign = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
      expectRefused(c, await signInWith(({ claims, sign }) => sign(claims, { key: foreign })), 'ERR_ID_TOKEN_SIGNATURE');
    });

    it('oidcc-client-test-invalid-sig-hs256: refuses an HS256 ID token (keyed with the client secret)', async () => {
      expectRefused(c, await signInWith(({ claims, sign }) => sign(claims, { alg: 'HS256', key: `${CLIENT_SECRET}-wrong` })), 'ERR_ID_TOKEN_ALGORITHM');
    });

    it('oidcc-client-test-invalid-sig-es256: refuses an ES256 ID token (not an allowed algorithm, no EC key published)', async () => {
      const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
      expectRefused(c, await signInWith(({ claims, sign }) => sign(claims, { alg: 'ES256', key: ec })), 'ERR_ID_TOKEN_ALGORITHM');
    });

    it('oidcc-client-test-invalid-iss: refuses an ID token whose iss is not the issuer', async () => {
      expectRefused(c, await signInWith(({ claims, sign }) => sign({ ...claims, iss: `${claims.iss}-other` })), 'ERR_ID_TOKEN_CLAIM');
    });

    it('oidcc-client-test-invalid-aud: refuses an ID token issued to another client', async () => {
      expectRefused(c, await signInWith(({ claims, sign }) => sign({ ...claims, aud: 'another-client', azp: 'another-client' })), 'ERR_ID_TOKEN_CLAIM');
    });

    it('oidcc-client-test-missing-aud: refuses an ID token without aud', async () => {
      expectRefused(c, await signInWith(({ claims, sign }) => sign(without(claims, 'aud'))), 'ERR_ID_TOKEN_CLAIM');
    });

    it('oidcc-client-test-missing-sub: refuses an ID token without sub', async () => {
      const frame = await signInWith(({ claims, sign }) => sign(without(claims, 'sub')));
      expectRefused(c, frame, 'ERR_ID_TOKEN_CLAIM');
      expect(frame.message.error?.message).toContain('"sub"');
    });

    it('oidcc-client-test-missing-iat: refuses an ID token without iat', async () => {
      const frame = await signInWith(({ claims, sign }) => sign(without(claims, 'iat')));
      expectRefused(c, frame, 'ERR_ID_TOKEN_CLAIM');
      expect(frame.message.error?.message).toContain('"iat"');
    });

    it('oidcc-client-test-nonce-invalid: refuses an ID token carrying another nonce', async () => {
      const frame = await signInWith(({ claims, sign }) => sign({ ...claims, nonce: 'a-nonce-of-another-sign-in-0123456789' }));
      expectRefused(c, frame, 'ERR_ID_TOKEN_CLAIM');
      expect(frame.message.error?.message).toContain('"nonce"');
    });

    it('oidcc-client-test-nonce-unless-code-flow: sends a nonce with the code flow too, and checks it', async () => {
      const { frame } = await signInAt(c);
      expectSignedIn(frame);
      const sent = c.op.lastAuthorizationRequest?.nonce;
      expect(typeof sent).toBe('string');
      expect((jwt.decode(frame.message.response.providerInfo.idToken) as jwt.JwtPayload).nonce).toBe(sent);
    });

    it('oidcc-client-test-kid-absent-single-jwks: uses the single published key for an ID token without kid', async () => {
      expectSignedIn(await signInWith(({ claims, sign }) => sign(claims, { kid: null })));
    });

    it('oidcc-client-test-kid-absent-multiple-jwks: refuses an ID token without kid when several keys are published', async () => {
      const old = c.op.currentKid;
      c.op.rotateKeys({ keepOld: true });
      try {
        expectSignedIn((await signInAt(c)).frame); // the backend now holds both keys
        const frame = await signInWith(({ claims, sign }) => sign(claims, { kid: null }));
        expectRefused(c, frame, 'ERR_ID_TOKEN_SIGNATURE');
        expect(frame.message.error?.message).toContain('does not publish');
      } finally {
        c.op.withdrawKey(old);
      }
    });

    it('oidcc-client-test-userinfo-invalid-sub: refuses a userinfo answer about another subject', async () => {
      const frame = await signInWith(({ claims, sign }) => sign({ ...without(claims, 'email'), sub: 'someone-else' }));
      expectRefused(c, frame, 'ERR_ID_TOKEN_CLAIM');
      expect(frame.message.error?.message).toContain('userinfo answer is for another subject');
    });

    it('oidcc-client-test-scope-userinfo-claims: asks for claims by scope and takes them from userinfo when the ID token lacks them', async () => {
      const frame = await signInWith(({ claims, sign }) => sign(without(claims, 'email', 'name', 'given_name')));
      expectSignedIn(frame);
      expect(c.op.lastAuthorizationRequest?.scope).toEqual(expect.stringMatching(/(^| )profile( |$)/));
      expect(c.op.lastAuthorizationRequest?.scope).toEqual(expect.stringMatching(/(^| )email( |$)/));
      expect(frame.message.response.profile).toMatchObject({ email: 'alice@example.com', displayName: 'Alice Example' });
    });

    it('oidcc-client-test-userinfo-bearer-header: calls userinfo with the access token in an Authorization Bearer header', async () => {
      // The OP reads the access token from the Authorization header only: the e-mail can only come from there.
      const frame = await signInWith(({ claims, sign }) => sign(without(claims, 'email')));
      expectSignedIn(frame);
      expect(frame.message.response.profile.email).toBe('alice@example.com');
    });
  });
}

export function clientSecretBasic(backend: ConformanceBackend): void {
  describe('client_secret_basic', () => {
    let c: Conformance;
    beforeAll(async () => {
      c = await startConformance(backend, { environment: { tokenEndpointAuthMethod: 'client_secret_basic' } });
    });
    afterAll(() => c?.close());

    it('oidcc-client-test-client-secret-basic: authenticates at the token endpoint with client_secret_basic', async () => {
      const before = c.op.stats.basicAuthTokenRequests;
      expectSignedIn((await signInAt(c)).frame);
      expect(c.op.stats.basicAuthTokenRequests).toBe(before + 1);
    });
  });
}

/** The claims without these names (an absent claim, not one set to undefined). */
function without(claims: Record<string, unknown>, ...names: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(claims).filter(([name]) => !names.includes(name)));
}
