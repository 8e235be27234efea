import express from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DefaultIdentityClient } from '@backstage/plugin-auth-node';
import {
  createPaletteTokenMiddleware,
  PaletteTokenCache,
  type SpectroCloudRequest,
} from '../../src/paletteTokens';
import { MemoryStore } from '../../src/ttlStore/memoryStore';
import { sessionTokenPlugin } from '../support/sessionTokenPlugin';
import { BACKEND_KINDS, logout, signIn, startFixture, type BackendKind, type Fixture } from '../support/spectroFixture';

/*
 * `tokenStore.apiTokenCookie`: SpectroCloud's raw HS256 session token goes to the browser in the seeds'
 * `spectrocloud-api-token` cookie only when it is set to true. Either way the token is kept server-side and a
 * backend plugin gets it by the verified identity (`/api/spectrocloud/whoami` answers its last 12 characters).
 */
const HS256 = /eyJhbGciOiJIUzI1NiI/; // base64url of {"alg":"HS256"
const tail = (token: string | undefined) => token?.slice(-12);

/** The legacy backend's plugin: the hand-off middleware on the cache the provider was given. */
function legacyPlugin(cache: PaletteTokenCache) {
  return ({ discovery }: { discovery: { getBaseUrl(id: string): Promise<string> } }) => {
    const router = express.Router();
    router.use(createPaletteTokenMiddleware({ identity: DefaultIdentityClient.create({ discovery: discovery as never }), cache }));
    router.get('/whoami', (req, res) => {
      const grant = (req as SpectroCloudRequest).spectroCloud!;
      res.json({ userEntityRef: grant.userEntityRef, tokenTail: grant.token.slice(-12) });
    });
    return { '/api/spectrocloud': router };
  };
}

async function startWith(kind: BackendKind, tokenStore: Record<string, boolean> | undefined): Promise<Fixture> {
  if (kind === 'new') return startFixture({ kind, plugins: [sessionTokenPlugin], tokenStore });
  const cache = new PaletteTokenCache({ store: new MemoryStore() });
  return startFixture({ provider: { paletteTokenCache: cache }, routers: legacyPlugin(cache), tokenStore });
}

async function signInAndAsk(fixture: Fixture) {
  const { jar, frame } = await signIn(fixture, 'alice@example.com');
  expect(frame.message.error).toBeUndefined();
  const whoami = await request(fixture.backend.url)
    .get('/api/spectrocloud/whoami')
    .set('Authorization', `Bearer ${frame.message.response.backstageIdentity.token}`);
  return { jar, whoami };
}

describe.each(BACKEND_KINDS)('the spectrocloud-api-token cookie (%s backend)', kind => {
  describe.each([
    ['not configured', undefined],
    ['apiTokenCookie: false', { apiTokenCookie: false }],
  ])('%s', (_label, tokenStore) => {
    let fixture: Fixture;
    beforeAll(async () => {
      fixture = await startWith(kind, tokenStore);
    });
    afterAll(() => fixture?.close());

    it('is not set; no cookie carries the session token, and the plugin still gets it from the server', async () => {
      const { jar, whoami } = await signInAndAsk(fixture);
      expect(jar.values.has('spectrocloud-api-token')).toBe(false);
      expect([...jar.values].filter(([, value]) => HS256.test(value)).map(([name]) => name)).toEqual([]);
      expect(jar.values.has('spectrocloud-refresh-token')).toBe(true);
      expect(whoami.status).toBe(200);
      expect(whoami.body.userEntityRef).toBe('user:default/alice');
      expect(whoami.body.tokenTail).toHaveLength(12);
    });
  });

  describe('apiTokenCookie: true', () => {
    let fixture: Fixture;
    beforeAll(async () => {
      fixture = await startWith(kind, { apiTokenCookie: true });
    });
    afterAll(() => fixture?.close());

    it('is set to the session token the plugin gets (attributes: paletteTokenCapture.test.ts), and cleared at sign-out', async () => {
      const { jar, whoami } = await signInAndAsk(fixture);
      const token = jar.values.get('spectrocloud-api-token');
      expect(fixture.emulator.verifyPaletteToken(token!)).toMatchObject({ email: 'alice@example.com' });
      expect(whoami.status).toBe(200);
      expect(whoami.body.tokenTail).toBe(tail(token));
      await logout(fixture, jar);
      expect(jar.values.has('spectrocloud-api-token')).toBe(false);
    });
  });
});
