import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import request from 'supertest';
import { spectrocloud } from '../../src';
import { userEntity } from '../support/legacyBackend';
import { authorize, CookieJar, refresh, signIn, startFixture, startSignIn } from '../support/spectroFixture';

describe('provider options against the emulator', () => {
  it('derives endpoints from the authorization URL when discovery is absent', async () => {
    const fixture = await startFixture({ emulator: { discovery: false } });
    try {
      const { frame } = await signIn(fixture);
      expect(frame.message.response.backstageIdentity.identity.userEntityRef).toBe('user:default/alice');
      expect(fixture.emulator.stats.discoveryRequests).toBeGreaterThan(0);
    } finally {
      await fixture.close();
    }
  });

  it('uses discovery once and caches it', async () => {
    const fixture = await startFixture();
    try {
      await signIn(fixture);
      await signIn(fixture);
      expect(fixture.emulator.stats.discoveryRequests).toBe(1);
    } finally {
      await fixture.close();
    }
  });

  it('authenticates with client_secret_basic', async () => {
    const fixture = await startFixture({ environment: { tokenEndpointAuthMethod: 'client_secret_basic' } });
    try {
      const { frame } = await signIn(fixture);
      expect(frame.message.error).toBeUndefined();
    } finally {
      await fixture.close();
    }
  });

  it('fails clearly with a wrong client secret', async () => {
    const fixture = await startFixture({ environment: { clientSecret: 'wrong-secret-value-123456' } });
    try {
      const { frame } = await signIn(fixture);
      expect(frame.message.error?.message).toContain('invalid_client');
      expect(frame.message.error?.message).not.toContain('wrong-secret-value-123456');
    } finally {
      await fixture.close();
    }
  });

  it('sends prompt only when configured', async () => {
    const fixture = await startFixture({ environment: { prompt: 'login', additionalScopes: ['groups'] } });
    try {
      const start = await startSignIn(fixture, new CookieJar());
      const params = new URL(start.headers.location).searchParams;
      expect(params.get('prompt')).toBe('login');
      expect(params.get('scope')).toBe('openid profile email groups');
    } finally {
      await fixture.close();
    }
  });

  it('keeps a session whose ID token carries 100 groups, in cookies under 4 KB each', async () => {
    const fixture = await startFixture();
    try {
      const groups = Array.from({ length: 100 }, () => `project-${randomUUID()}`);
      fixture.emulator.setFaults({ idToken: ({ claims, sign }) => sign({ ...claims, groups }) });
      const { jar, frame } = await signIn(fixture);
      expect(frame.message.error).toBeUndefined();
      expect(frame.message.response.providerInfo.idToken.length).toBeGreaterThan(4096);
      const pieces = [...jar.values].filter(([name]) => name.startsWith('spectrocloud-refresh-token'));
      expect(pieces.length).toBeGreaterThan(1);
      for (const [name, value] of pieces) expect(name.length + encodeURIComponent(value).length).toBeLessThan(4000);
      const response = await refresh(fixture, jar);
      expect(response.status).toBe(200);
      expect(response.body.providerInfo.idToken).toBe(frame.message.response.providerInfo.idToken);
      // a missing piece is a broken session, never a partial one
      jar.values.delete('spectrocloud-refresh-token-1');
      expect((await refresh(fixture, jar)).status).toBe(401);
    } finally {
      await fixture.close();
    }
  });

  it('lets authHandler shape the profile and a code resolver pick the user', async () => {
    const fixture = await startFixture({
      // The emulator puts `groups` in the ID token only when the groups scope is requested.
      environment: { additionalScopes: ['groups'] },
      provider: {
        authHandler: async ({ claims }) => ({ profile: { email: claims.email, displayName: `${claims.name} (${claims.groups?.length} groups)` } }),
        signIn: { resolver: spectrocloud.resolvers.emailMatchingUserEntityAnnotation() },
      },
      users: [userEntity('alice-by-annotation', 'other@example.com', { 'spectrocloud.com/email': 'alice@example.com' })],
    });
    try {
      const { frame } = await signIn(fixture);
      expect(frame.message.response.profile.displayName).toBe('Alice Example (2 groups)');
      expect(frame.message.response.backstageIdentity.identity.userEntityRef).toBe('user:default/alice-by-annotation');
    } finally {
      await fixture.close();
    }
  });

  it('honours the order of configured resolvers', async () => {
    const fixture = await startFixture({
      environment: {
        signIn: { resolvers: [{ resolver: 'emailLocalPartMatchingUserEntityName' }, { resolver: 'emailMatchingUserEntityProfileEmail' }] },
      },
      users: [userEntity('alice', 'someone-else@example.com'), userEntity('alice-profile', 'alice@example.com')],
    });
    try {
      const { frame } = await signIn(fixture);
      expect(frame.message.response.backstageIdentity.identity.userEntityRef).toBe('user:default/alice');
    } finally {
      await fixture.close();
    }
  });

  describe('redirect flow', () => {
    it('redirects to an allowed app URL after sign-in and keeps the session', async () => {
      const fixture = await startFixture({ appUrl: 'http://127.0.0.1:3000' });
      try {
        const jar = new CookieJar();
        const start = await startSignIn(fixture, jar, { flow: 'redirect', redirectUrl: 'http://127.0.0.1:3000/catalog' });
        expect(start.status).toBe(302);
        const callbackUrl = new URL(await authorize(start.headers.location, 'alice@example.com'));
        const landing = await request(fixture.backend.url).get(callbackUrl.pathname + callbackUrl.search).set('Cookie', jar.header());
        jar.update(landing.headers['set-cookie']);
        expect(landing.status).toBe(302);
        expect(landing.headers.location).toBe('http://127.0.0.1:3000/catalog');
        expect((await refresh(fixture, jar)).body.backstageIdentity.identity.userEntityRef).toBe('user:default/alice');
      } finally {
        await fixture.close();
      }
    });

    it('refuses a redirectUrl on a foreign origin at /start', async () => {
      const fixture = await startFixture({ appUrl: 'http://127.0.0.1:3000' });
      try {
        const response = await request(fixture.backend.url)
          .get('/api/auth/spectrocloud/start')
          .query({ env: 'development', flow: 'redirect', redirectUrl: 'https://evil.example.com/steal' });
        expect(response.status).toBe(403);
        expect(JSON.stringify(response.body)).toContain('redirectUrl must point at the Backstage app');
      } finally {
        await fixture.close();
      }
    });
  });
});
