import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SpectroCloudEmulator } from '../../src/testing';
import { pathOf, signIn, startEmulator, verifyAgainstJwks } from '../support/emulatorHelpers';

const kidsOf = (emu: SpectroCloudEmulator) => emu.jwks.keys.map(k => k.kid);

describe('key rollover: rotate, then withdraw the old key', () => {
  let emu: SpectroCloudEmulator;
  beforeAll(async () => {
    emu = await startEmulator();
  });
  afterAll(() => emu.close());

  it('withdrawKey removes an older key from the published JWKS, so tokens it signed stop verifying', async () => {
    const before = await signIn(emu);
    const oldKid = emu.currentKid;
    const newKid = emu.rotateKeys();
    await expect(verifyAgainstJwks(emu, before.id_token)).resolves.toBeTruthy();
    emu.withdrawKey(oldKid);
    const { body } = await request(emu.url).get(pathOf(emu.jwksUrl));
    expect(body.keys.map((k: { kid: string }) => k.kid)).toEqual([newKid]);
    await expect(verifyAgainstJwks(emu, before.id_token)).rejects.toThrow(/no JWKS key/);
    await expect(verifyAgainstJwks(emu, (await signIn(emu)).id_token)).resolves.toBeTruthy();
  });

  it('refuses to withdraw the key that signs new tokens', () => {
    expect(() => emu.withdrawKey(emu.currentKid)).toThrow(/current signing key/);
  });

  it('refuses to withdraw a kid it does not publish', () => {
    expect(() => emu.withdrawKey('no-such-kid')).toThrow(/no published key/);
  });

  describe('over HTTP', () => {
    it('GET /__emulator/keys lists the published kids and the current one', async () => {
      const { body } = await request(emu.url).get('/__emulator/keys');
      expect(body).toEqual({ currentKid: emu.currentKid, kids: kidsOf(emu) });
    });

    it('POST /__emulator/keys/rotate keeps the old keys by default', async () => {
      const old = emu.currentKid;
      const { body } = await request(emu.url).post('/__emulator/keys/rotate').send({});
      expect(body.currentKid).toBe(emu.currentKid);
      expect(body.kids).toEqual(expect.arrayContaining([old, emu.currentKid]));
    });

    it('POST /__emulator/keys/rotate with keepOld false publishes only the new key', async () => {
      const { body } = await request(emu.url).post('/__emulator/keys/rotate').send({ keepOld: false });
      expect(body.kids).toEqual([body.currentKid]);
      expect(kidsOf(emu)).toEqual([body.currentKid]);
    });

    it('DELETE /__emulator/keys/<kid> withdraws an old key', async () => {
      const old = emu.currentKid;
      emu.rotateKeys();
      const res = await request(emu.url).delete(`/__emulator/keys/${encodeURIComponent(old)}`);
      expect(res.status).toBe(200);
      expect(res.body.kids).not.toContain(old);
      expect(kidsOf(emu)).not.toContain(old);
    });

    it('answers 400 for the current kid or a wrong keepOld', async () => {
      expect((await request(emu.url).delete(`/__emulator/keys/${encodeURIComponent(emu.currentKid)}`)).status).toBe(400);
      expect((await request(emu.url).post('/__emulator/keys/rotate').send({ keepOld: 'no' })).status).toBe(400);
    });
  });
});
