import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import jwt from 'jsonwebtoken';
import type { Entity } from '@backstage/catalog-model';
import type { AuthResolverContext } from '@backstage/plugin-auth-node';
import { ConfigReader } from '@backstage/config';
import { spectrocloud, SpectroCloudAuthMetrics } from '../../src';
import { readSignInResolversFromConfig } from '../../src/resolvers';
import { userEntity } from '../support/legacyBackend';
import { CATALOG, signIn, startFixture, USERS, type Fixture } from '../support/spectroFixture';

function groupEntity(name: string, namespace = 'default'): Entity {
  return { apiVersion: 'backstage.io/v1alpha1', kind: 'Group', metadata: { name, namespace }, spec: { type: 'team', children: [] } };
}

const claimsOf = (token: string) => jwt.decode(token) as jwt.JwtPayload & { ent?: string[] };
/** Users whose domains only look like an allowed one. */
const LOOKALIKE_USERS = [
  { email: 'mallory@evilcorp.example.org', given_name: 'Mallory', groups: [] },
  { email: 'sam@eu.corp.example.org', given_name: 'Sam', groups: [] },
  { email: 'Erin@CORP.example.org', given_name: 'Erin', groups: [] },
];
const EXTRA_USERS = [...USERS, { email: "Dave.O'Neil+ci@corp.example.org", given_name: 'Dave', groups: [] }];

/** The router's own resolver context, counting the catalog lookups it is asked for. */
function countingContext(ctx: AuthResolverContext, counts: { lookups: number }): AuthResolverContext {
  return {
    issueToken: params => ctx.issueToken(params),
    resolveOwnershipEntityRefs: entity => ctx.resolveOwnershipEntityRefs(entity),
    findCatalogUser: query => (counts.lookups++, ctx.findCatalogUser(query)),
    signInWithCatalogUser: (query, options) => (counts.lookups++, ctx.signInWithCatalogUser(query, options)),
  };
}

describe('sign-in policy from config', () => {
  let fixture: Fixture;
  const metrics = new SpectroCloudAuthMetrics();
  beforeAll(async () => {
    fixture = await startFixture({
      provider: { metrics },
      emulator: { users: EXTRA_USERS },
      users: [...CATALOG, groupEntity('platform-team')],
      environment: {
        additionalScopes: ['groups'],
        signIn: {
          resolvers: [
            {
              resolver: 'emailMatchingUserEntityProfileEmail',
              allowedDomains: ['example.com', 'Corp.Example.org'],
              dangerouslyAllowSignInWithoutUserInCatalog: true,
              groupsAsOwnership: true,
            },
          ],
        },
      },
    });
  });
  afterAll(() => fixture?.close());

  it('signs in a catalog user and adds only the SpectroCloud groups that exist in the catalog to ent', async () => {
    const { frame } = await signIn(fixture, 'alice@example.com');
    const claims = claimsOf(frame.message.response.backstageIdentity.token);
    expect(claims.sub).toBe('user:default/alice');
    expect(claims.ent).toEqual(['user:default/alice', 'group:default/platform-team']);
  });

  it('signs in a user missing from the catalog as user:default/<local part> when dangerouslyAllowSignInWithoutUserInCatalog is on', async () => {
    const { frame } = await signIn(fixture, 'carol@example.com');
    const claims = claimsOf(frame.message.response.backstageIdentity.token);
    expect(claims.sub).toBe('user:default/carol');
    expect(claims.ent).toEqual(['user:default/carol']); // "guests" is not in the catalog
    expect(frame.message.response.backstageIdentity.identity.userEntityRef).toBe('user:default/carol');
  });

  it('normalises the fallback name like Backstage entity names (plus tag dropped, lower case, odd characters as _)', async () => {
    const { frame } = await signIn(fixture, "Dave.O'Neil+ci@corp.example.org");
    expect(claimsOf(frame.message.response.backstageIdentity.token).sub).toBe('user:default/dave.o_neil');
  });
});

describe('allowedDomains', () => {
  let fixture: Fixture;
  const metrics = new SpectroCloudAuthMetrics();
  const counts = { lookups: 0 };
  beforeAll(async () => {
    const policy = spectrocloud.resolvers.emailMatchingUserEntityProfileEmail({ allowedDomains: ['corp.example.org'] });
    fixture = await startFixture({
      provider: { metrics, signIn: { resolver: (info, ctx) => policy(info, countingContext(ctx, counts)) } },
      emulator: { users: [...USERS, ...LOOKALIKE_USERS] },
    });
  });
  afterAll(() => fixture?.close());

  it('refuses another email domain with ERR_EMAIL_DOMAIN_NOT_ALLOWED before any catalog lookup (resolver built in code)', async () => {
    const { frame } = await signIn(fixture, 'alice@example.com');
    expect(frame.message.error?.name).toBe('SpectroCloudSignInError');
    expect(frame.message.error?.message).toContain('email domain is not allowed');
    expect(frame.message.error?.message).toContain('allowed: corp.example.org');
    expect(frame.message.error?.message).not.toContain('alice');
    expect(counts.lookups).toBe(0);
    expect(metrics.snapshot().signInFailures).toEqual({ ERR_EMAIL_DOMAIN_NOT_ALLOWED: 1 });
    expect(fixture.backend.logLines.join('\n')).toContain('ERR_EMAIL_DOMAIN_NOT_ALLOWED');
  });

  // The rule (docs/configuration.md): the email's domain equals a listed one, case aside. A domain that only
  // ends with a listed one is another domain, and so is a subdomain: list each one that may sign in.
  it.each([
    ['a domain that ends with the allowed one', 'mallory@evilcorp.example.org'],
    ['a subdomain of the allowed one', 'sam@eu.corp.example.org'],
  ])('refuses %s with ERR_EMAIL_DOMAIN_NOT_ALLOWED before any catalog lookup', async (_, email) => {
    const refusedBefore = metrics.snapshot().signInFailures.ERR_EMAIL_DOMAIN_NOT_ALLOWED ?? 0;
    const lookupsBefore = counts.lookups;
    const { frame } = await signIn(fixture, email);
    expect(frame.message.error?.name).toBe('SpectroCloudSignInError');
    expect(frame.message.response).toBeUndefined();
    expect(metrics.snapshot().signInFailures.ERR_EMAIL_DOMAIN_NOT_ALLOWED).toBe(refusedBefore + 1);
    expect(counts.lookups).toBe(lookupsBefore);
  });

  it('lets the allowed domain itself through, in any case, to the catalog lookup', async () => {
    const lookupsBefore = counts.lookups;
    const { frame } = await signIn(fixture, 'Erin@CORP.example.org');
    expect(frame.message.error?.name).not.toBe('SpectroCloudSignInError');
    expect(counts.lookups).toBe(lookupsBefore + 1);
  });
});

describe('catalog conflicts and misses', () => {
  let fixture: Fixture;
  const metrics = new SpectroCloudAuthMetrics();
  beforeAll(async () => {
    fixture = await startFixture({
      provider: { metrics },
      // Two entities claim bob's email; alice exists by name only; carol is nowhere.
      users: [userEntity('bobby', 'bob@example.com'), userEntity('bob', 'bob@example.com'), userEntity('alice', 'someone-else@example.com')],
      environment: {
        signIn: {
          resolvers: [{ resolver: 'emailMatchingUserEntityProfileEmail' }, { resolver: 'emailLocalPartMatchingUserEntityName' }],
        },
      },
    });
  });
  afterAll(() => fixture?.close());

  it('stops the resolver chain with ERR_USER_AMBIGUOUS when two catalog users share the email (no fall-through to user:default/bob)', async () => {
    const { frame } = await signIn(fixture, 'bob@example.com');
    expect(frame.message.response).toBeUndefined();
    expect(frame.message.error?.name).toBe('SpectroCloudSignInError');
    expect(frame.message.error?.message).toContain('more than one Backstage User entity matches');
    expect(metrics.snapshot().signInFailures.ERR_USER_AMBIGUOUS).toBe(1);
  });

  it('still falls through to the next resolver when the first finds nobody', async () => {
    const { frame } = await signIn(fixture, 'alice@example.com');
    expect(frame.message.response.backstageIdentity.identity.userEntityRef).toBe('user:default/alice');
  });

  it('refuses a user missing from the catalog without dangerouslyAllowSignInWithoutUserInCatalog', async () => {
    const { frame } = await signIn(fixture, 'carol@example.com');
    expect(frame.message.error?.message).toContain('no Backstage User entity matches');
    expect(frame.message.error?.message).toContain('auth.providers.spectrocloud.development.signIn.resolvers');
    expect(metrics.snapshot().signInFailures.ERR_USER_NOT_FOUND).toBe(1);
  });
});

describe('groupsAsOwnership options', () => {
  it('puts every group in its namespace without catalog lookups when onlyExisting is false (resolver built in code)', async () => {
    const counts = { lookups: 0 };
    const policy = spectrocloud.resolvers.emailLocalPartMatchingUserEntityName({ groupsAsOwnership: { namespace: 'teams', onlyExisting: false } });
    const fixture = await startFixture({
      provider: { signIn: { resolver: (info, ctx) => policy(info, countingContext(ctx, counts)) } },
      environment: { additionalScopes: 'groups' },
    });
    try {
      const { frame } = await signIn(fixture, 'alice@example.com');
      expect(claimsOf(frame.message.response.backstageIdentity.token).ent).toEqual([
        'user:default/alice',
        'group:teams/platform-team',
        'group:teams/developers',
      ]);
      expect(counts.lookups).toBe(1); // the user only
    } finally {
      await fixture.close();
    }
  });

  it('keeps the catalog memberOf ownership and adds existing groups from the namespace configured', async () => {
    const alice: Entity = {
      ...userEntity('alice', 'alice@example.com'),
      relations: [{ type: 'memberOf', targetRef: 'group:default/admins' }],
    };
    const fixture = await startFixture({
      users: [alice, groupEntity('developers', 'teams'), groupEntity('platform-team')],
      environment: {
        additionalScopes: 'groups',
        signIn: { resolvers: [{ resolver: 'emailMatchingUserEntityProfileEmail', groupsAsOwnership: { namespace: 'teams' } }] },
      },
    });
    try {
      const { frame } = await signIn(fixture, 'alice@example.com');
      expect(claimsOf(frame.message.response.backstageIdentity.token).ent).toEqual([
        'user:default/alice',
        'group:default/admins',
        'group:teams/developers',
      ]);
    } finally {
      await fixture.close();
    }
  });
});

describe('sign-in policy config errors', () => {
  const PATH = 'auth.providers.spectrocloud.development';
  const read = (extra: object) =>
    readSignInResolversFromConfig(
      new ConfigReader({ signIn: { resolvers: [{ resolver: 'emailMatchingUserEntityProfileEmail', ...extra }] } }),
      PATH,
    );
  it.each([
    [{ allowedDomains: [] }, `'${PATH}.signIn.resolvers[0].allowedDomains' is empty`],
    [{ allowedDomains: ['@example.com'] }, "Invalid domain '@example.com'"],
    [{ allowedDomain: ['example.com'] }, `Unknown key '${PATH}.signIn.resolvers[0].allowedDomain'`],
    [{ dangerouslyAllowSignInWithoutUserInCatalog: 'maybe' }, `Invalid type for '${PATH}.signIn.resolvers[0].dangerouslyAllowSignInWithoutUserInCatalog'`],
    [{ groupsAsOwnership: { namespace: 'Not a namespace' } }, 'groupsAsOwnership.namespace'],
    [{ groupsAsOwnership: { onlyExsting: false } }, `Unknown key '${PATH}.signIn.resolvers[0].groupsAsOwnership.onlyExsting'`],
    [{ annotation: 'x' }, `Unknown key '${PATH}.signIn.resolvers[0].annotation'`],
  ])('refuses %j when the router is created', (extra, message) => {
    expect(() => read(extra)).toThrow(expect.objectContaining({ code: 'ERR_CONFIG', message: expect.stringContaining(message) }));
  });

  it('accepts the whole policy', () => {
    expect(
      read({ allowedDomains: ['example.com'], dangerouslyAllowSignInWithoutUserInCatalog: false, groupsAsOwnership: { namespace: 'teams', onlyExisting: true } }),
    ).toBeTypeOf('function');
  });
});
