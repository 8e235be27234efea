import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigReader } from '@backstage/config';
import type { JsonObject } from '@backstage/types';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPaletteTokenCache } from '../../src/paletteTokens';
import { redisCommand } from '../support/redisCommand';
import { getFreePort, type RedisTestServer, startRedisServer } from '../support/redisServer';
import { registerSecret } from '../support/secrets';
import { createTempDir, removeTempDir } from '../support/tempDir';
import { createTestCa, type TestCa } from '../support/testCa';

const HOUR = 60 * 60 * 1000;
const PASSWORD = `redis-${randomBytes(12).toString('hex')}`;
registerSecret(PASSWORD);

const withRedis = (redis: JsonObject) => new ConfigReader({ auth: { providers: { spectrocloud: { tokenStore: { type: 'redis', redis } } } } });

/** A redis-server serving TLS with a certificate from a throw-away CA, and a password. */
describe('Redis token store over TLS with a private CA and a password', () => {
  let ca: TestCa;
  let server: RedisTestServer;
  let dir: string;
  let tlsPort: number;

  beforeAll(async () => {
    [ca, dir, tlsPort] = await Promise.all([createTestCa(), createTempDir('redis-tls'), getFreePort()]);
    const certificate = await ca.issueServerCertificate(['127.0.0.1', 'localhost']);
    const files = { cert: join(dir, 'server.pem'), key: join(dir, 'server.key'), ca: join(dir, 'ca.pem') };
    await Promise.all([writeFile(files.cert, certificate.cert), writeFile(files.key, certificate.key), writeFile(files.ca, ca.certPem)]);
    server = await startRedisServer({
      args: ['--tls-port', String(tlsPort), '--tls-cert-file', files.cert, '--tls-key-file', files.key, '--tls-ca-cert-file', files.ca, '--tls-auth-clients', 'no'],
    });
    await redisCommand(server.port, 'CONFIG', 'SET', 'requirepass', PASSWORD);
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    await ca?.close();
    if (dir) await removeTempDir(dir);
  });

  it('keeps and hands out sessions with the CA and the password configured', async () => {
    const cache = createPaletteTokenCache(withRedis({ url: `rediss://127.0.0.1:${tlsPort}`, password: PASSWORD, tls: { ca: ca.certPem } }));
    try {
      const token = jwt.sign({ email: 'alice@example.com' }, randomBytes(32), { algorithm: 'HS256', expiresIn: 3600 });
      registerSecret(token);
      await cache.remember({ userEntityRef: 'user:default/alice', email: 'alice@example.com', sessionToken: token, expiresAt: Date.now() + HOUR });
      expect((await cache.forUser('user:default/alice'))?.sessionToken === token).toBe(true);
    } finally {
      await cache.close();
    }
  });

  it('refuses a server its CA does not vouch for, with a clear error naming no address', async () => {
    const cache = createPaletteTokenCache(withRedis({ url: `rediss://127.0.0.1:${tlsPort}`, password: PASSWORD }));
    try {
      const error = (await cache.forUser('user:default/alice').catch(e => e)) as Error & { code?: string };
      expect(error).toMatchObject({ code: 'ERR_TOKEN_STORE_UNAVAILABLE' });
      expect(error?.message).toMatch(/certificate/i);
      expect(error?.message).not.toContain(String(tlsPort));
    } finally {
      await cache.close();
    }
  });

  it('refuses a wrong password without printing either password', async () => {
    const wrong = `wrong-${randomBytes(12).toString('hex')}`;
    registerSecret(wrong);
    const cache = createPaletteTokenCache(withRedis({ url: `rediss://127.0.0.1:${tlsPort}`, password: wrong, tls: { ca: ca.certPem } }));
    try {
      const error = (await cache.forUser('user:default/alice').catch(e => e)) as Error & { code?: string };
      expect(error).toMatchObject({ code: 'ERR_TOKEN_STORE_UNAVAILABLE' });
      expect(error?.message).toMatch(/WRONGPASS|NOAUTH|invalid username-password/i);
      expect(error?.message).not.toContain(wrong);
      expect(error?.message).not.toContain(PASSWORD);
    } finally {
      await cache.close();
    }
  });
});
