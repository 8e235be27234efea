import express from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DefaultIdentityClient } from '@backstage/plugin-auth-node';
import { createPaletteTokenMiddleware, PaletteTokenCache, type PaletteTokenGrant } from '../../src/paletteTokens';
import { MemoryStore } from '../../src/ttlStore/memoryStore';
import { sessionTokenPlugin } from '../support/sessionTokenPlugin';
import { BACKEND_KINDS, logout, signIn, startFixture, type BackendKind, type Fixture } from '../support/spectroFixture';

/*
 * `tokenStore.paletteTokenCookie`, the name of `tokenStore.apiTokenCookie` in the one vocabulary
 * (issue 25): on both backends it writes the Palette token to the seeds' `spectrocloud-api-token`
 * cookie exactly as the old key does (apiTokenCookie.test.ts). The two set differently are refused
 * (test/paletteTokens/renamedTokenStoreKeys.test.ts).
 */
const HS256 = /eyJhbGciOiJIUzI1NiI/; // base64url of {"alg":"HS256"

function legacyPlugin(cache: PaletteTokenCache) {
  return ({ discovery }: { discovery: { getBaseUrl(id: string): Promise<string> } }) => {
    const router = express.Router();
    router.use(createPaletteTokenMiddleware({ identity: DefaultIdentityClient.create({ discovery: discovery as never }), cache }));
    router.get('/whoami', (req, res) => {
      const grant = (req as typeof req & { spectroCloud?: PaletteTokenGrant }).spectroCloud!;
      res.json({ userEntityRef: grant.userEntityRef, tokenTail: grant.token.slice(-12) });
    });
    return { '/api/spectrocloud': router };
  };
}

async function startWith(kind: BackendKind, tokenStore: Record<string, boolean>): Promise<Fixture> {
  if (kind === 'new') return startFixture({ kind, plugins: [sessionTokenPlugin], tokenStore });
  const cache = new PaletteTokenCache({ store: new MemoryStore() });
  return startFixture({ provider: { paletteTokenCache: cache }, routers: legacyPlugin(cache), tokenStore });
}

describe.each(BACKEND_KINDS)('tokenStore.paletteTokenCookie (%s backend)', kind => {
  describe('paletteTokenCookie: true', () => {
    let fixture: Fixture;
    beforeAll(async () => {
      fixture = await startWith(kind, { paletteTokenCookie: true });
    });
    afterAll(() => fixture?.close());

    it('sets the spectrocloud-api-token cookie to the Palette token the plugin gets, and clears it at sign-out', async () => {
      const { jar, frame } = await signIn(fixture, 'alice@example.com');
      expect(frame.message.error).toBeUndefined();
      const token = jar.values.get('spectrocloud-api-token');
      expect(fixture.emulator.verifyPaletteToken(token!)).toMatchObject({ email: 'alice@example.com' });
      const whoami = await request(fixture.backend.url)
        .get('/api/spectrocloud/whoami')
        .set('Authorization', `Bearer ${frame.message.response.backstageIdentity.token}`);
      expect(whoami.status).toBe(200);
      expect(whoami.body.tokenTail).toBe(token!.slice(-12));
      await logout(fixture, jar);
      expect(jar.values.has('spectrocloud-api-token')).toBe(false);
    });
  });

  describe('paletteTokenCookie: false', () => {
    let fixture: Fixture;
    beforeAll(async () => {
      fixture = await startWith(kind, { paletteTokenCookie: false });
    });
    afterAll(() => fixture?.close());

    it('sets no cookie carrying the Palette token', async () => {
      const { jar, frame } = await signIn(fixture, 'alice@example.com');
      expect(frame.message.error).toBeUndefined();
      expect([...jar.values].filter(([, value]) => HS256.test(value)).map(([name]) => name)).toEqual([]);
    });
  });
});
