import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Entity } from '@backstage/catalog-model';
import { userEntity } from '../support/legacyBackend';
import { BACKEND_KINDS, logout, refresh, signIn, startFixture, type Fixture } from '../support/spectroFixture';

/*
 * The 10 s sign-in reuse, the same on both backends: the legacy handlers
 * resolve at every /refresh through their SignInCache, and on the new system
 * Backstage's route handler calls the sign-in resolver at every /refresh and
 * the module's wrapped resolver serves a session's resolution again for 10 s
 * (same bounds as test/standardIssuer/standardOidc.test.ts and
 * test/signIn/signInCache.test.ts). The backend's clock is moved instead of waiting.
 */
function withUid(entity: Entity, uid: string): Entity {
  return { ...entity, metadata: { ...entity.metadata, uid } };
}

describe.each(BACKEND_KINDS)('the sign-in reuse (%s backend)', kind => {
  let fixture: Fixture;
  let now = Date.now();
  let catalogCalls = 0;
  beforeAll(async () => {
    fixture = await startFixture({
      kind,
      provider: { clock: () => now },
      users: [withUid(userEntity('alice', 'alice@example.com'), 'uid-alice'), withUid(userEntity('bobby', 'bob@example.com'), 'uid-bobby')],
    });
    // Counts the resolver's catalog lookups on the real in-memory catalog (calls go through).
    const catalog = fixture.backend.catalog;
    for (const method of ['getEntities', 'queryEntities', 'getEntityByRef', 'getEntitiesByRefs'] as const) {
      const original = catalog[method].bind(catalog) as (...args: unknown[]) => Promise<unknown>;
      vi.spyOn(catalog, method).mockImplementation(((...args: unknown[]) => {
        catalogCalls += 1;
        return original(...args);
      }) as never);
    }
  });
  afterAll(() => fixture?.close());

  it("serves a session's refreshes within 10 s from its last resolution, concurrent ones sharing one resolution", async () => {
    const beforeSignIn = catalogCalls;
    const { jar } = await signIn(fixture, 'alice@example.com');
    const afterSignIn = catalogCalls;
    const oneResolution = afterSignIn - beforeSignIn;
    expect(oneResolution).toBeGreaterThan(0);
    // Within 10 s of the sign-in: its resolution, no catalog lookup.
    now += 5_000;
    const reused = await Promise.all([refresh(fixture, jar), refresh(fixture, jar), refresh(fixture, jar)]);
    expect(reused.map(response => response.status)).toEqual([200, 200, 200]);
    expect(reused.map(response => response.body.backstageIdentity.identity.userEntityRef)).toEqual(Array(3).fill('user:default/alice'));
    expect(catalogCalls).toBe(afterSignIn);
    // 10 s after the sign-in: asked again, once for three concurrent refreshes.
    now += 5_000;
    const asked = await Promise.all([refresh(fixture, jar), refresh(fixture, jar), refresh(fixture, jar)]);
    expect(asked.map(response => response.status)).toEqual([200, 200, 200]);
    expect(catalogCalls - afterSignIn).toBe(oneResolution);
  });

  it("keeps one session's resolution from another session of the same user", async () => {
    const first = await signIn(fixture, 'alice@example.com');
    const before = catalogCalls;
    await signIn(fixture, 'alice@example.com');
    expect(catalogCalls).toBeGreaterThan(before);
    expect((await refresh(fixture, first.jar)).status).toBe(200);
  });

  it('does not serve a signed-out session its resolution, nor a copy of its cookie', async () => {
    const { jar } = await signIn(fixture, 'alice@example.com');
    expect((await refresh(fixture, jar)).status).toBe(200);
    const copied = jar.copy();
    expect((await logout(fixture, jar)).status).toBe(200);
    const replay = await refresh(fixture, copied);
    expect(replay.status).toBe(401);
    expect(replay.body.backstageIdentity).toBeUndefined();
    expect(replay.body.error.cause.message).toMatch(/signed out/);
  });

  // The last test of this block: nobody signs in as bob after it.
  it('stops handing a user taken out of the catalog Backstage tokens within 10 s (the sign-in reuse time)', async () => {
    const { jar } = await signIn(fixture, 'bob@example.com');
    expect((await refresh(fixture, jar)).status).toBe(200);
    const removedAt = now;
    await fixture.backend.catalog.removeEntityByUid('uid-bobby');
    // Within the 10 s the resolution made before the removal is still served...
    now = removedAt + 9_000;
    expect((await refresh(fixture, jar)).status).toBe(200);
    // ...and not a moment longer.
    now = removedAt + 10_000;
    const response = await refresh(fixture, jar);
    expect(response.status).toBe(401);
    expect(response.body.backstageIdentity).toBeUndefined();
    // A failed resolution is not kept: asked again, refused again.
    const again = catalogCalls;
    expect((await refresh(fixture, jar)).status).toBe(401);
    expect(catalogCalls).toBeGreaterThan(again);
  });
});
