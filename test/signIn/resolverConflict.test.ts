import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKEND_KINDS, signIn, startFixture, type Fixture } from '../support/spectroFixture';
import { userEntity } from '../support/legacyBackend';

/*
 * Two catalog users share alice's e-mail. The first resolver (profile e-mail)
 * finds both, and Backstage answers ConflictError; the chain must stop there.
 * The second resolver (local part -> entity name) would find `alice`, so a
 * chain that fell through on any error would sign her in as one of the two.
 */
describe.each(BACKEND_KINDS)('sign-in resolver chain with an ambiguous e-mail (%s backend)', kind => {
  let fixture: Fixture;
  beforeAll(async () => {
    fixture = await startFixture({
      kind,
      users: [userEntity('alice', 'alice@example.com'), userEntity('alice-admin', 'alice@example.com'), userEntity('bobby', 'bob@example.com')],
    });
  });
  afterAll(() => fixture?.close());

  it('stops on the conflict instead of trying the next resolver', async () => {
    const { frame } = await signIn(fixture, 'alice@example.com');
    expect(frame.message.response).toBeUndefined();
    expect(frame.message.error?.name).toBe('SpectroCloudSignInError');
    // Logged and counted as a failure on both backends (on the new system by the capturing resolver), never as a success.
    expect(fixture.backend.logLines.some(line => line.includes('sign-in failed: ERR_USER_AMBIGUOUS'))).toBe(true);
    expect(fixture.backend.logLines.some(line => line.includes('sign-in succeeded'))).toBe(false);
  });

  it('still signs in a user whose e-mail is unique (control)', async () => {
    const { frame } = await signIn(fixture, 'bob@example.com');
    expect(frame.message.error).toBeUndefined();
    expect(frame.message.response?.backstageIdentity?.identity?.userEntityRef).toBe('user:default/bobby');
  });
});
