import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CacheManager } from '@backstage/backend-common';
import { ConfigReader } from '@backstage/config';
import jwt from 'jsonwebtoken';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BackstageCacheTokenStore,
  EncryptedTokenStore,
  MemoryTokenStore,
  PaletteTokenCache,
  RedisTokenStore,
  SessionTokenCache,
} from '../../src/paletteTokens';
import { BackstageCacheStore } from '../../src/paletteTokens/stores/backstageCacheStore';
import { EncryptedStore } from '../../src/paletteTokens/stores/encryptedStore';
import { refKey } from '../../src/paletteTokens/stores/paletteTokenRecord';
import { RedisStore } from '../../src/paletteTokens/stores/redisStore';
import { MemoryStore } from '../../src/ttlStore/memoryStore';
import { type RedisTestServer, startRedisServer } from '../support/redisServer';
import { registerSecret } from '../support/secrets';

/*
 * The store classes `.../palette-tokens` exported before issue 25 stay deprecated names that work for the uses they
 * had: the published types accept what they accepted (a consumer written against the released API compiles against
 * dist/), each constructor still builds the real store, and every type a deprecated name reaches is one the entry
 * exports (the API report names no forgotten export).
 */
const root = join(__dirname, '..', '..');
const HOUR = 60 * 60 * 1000;

function paletteToken(email: string): string {
  const token = jwt.sign({ email }, randomBytes(32), { algorithm: 'HS256', expiresIn: 3600 });
  registerSecret(token);
  return token;
}

describe('the deprecated store names of .../palette-tokens', () => {
  it('type-check for their released uses against the built types (dist/*.d.ts)', () => {
    expect(existsSync(join(root, 'dist', 'paletteTokens', 'index.d.ts')), 'dist/ is missing: run `npx tsup`').toBe(true);
    const consumer = join(root, 'test', 'package', 'fixtures', 'deprecatedNames', 'consumer.ts');
    const program = ts.createProgram([consumer], {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
      types: ['node'],
      // node_modules' own declarations are not what is checked here; the consumer's uses of ours are, and the
      // consumer's expected-error lines fail the compile if a deprecated name ever degrades to `any`.
      skipLibCheck: true,
      paths: {
        'backstage-plugin-spectrocloud-auth-legacy/palette-tokens': [join(root, 'dist', 'paletteTokens', 'index.d.ts')],
        'backstage-plugin-spectrocloud-auth-legacy': [join(root, 'dist', 'index.d.ts')],
      },
    });
    const files = program.getSourceFiles().map(file => file.fileName);
    expect(files).toContain(join(root, 'dist', 'paletteTokens', 'index.d.ts'));
    expect(files.filter(file => file.startsWith(join(root, 'src')))).toEqual([]);
    const errors = ts.getPreEmitDiagnostics(program).map(d => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(errors).toEqual([]);
  }, 120_000);

  it('name no type the entry leaves unexported: no API report has an ae-forgotten-export', () => {
    const reports = readdirSync(join(root, 'api-reports'));
    expect(reports).toContain('palette-tokens');
    for (const entry of reports) {
      const report = readFileSync(join(root, 'api-reports', entry, 'report.api.md'), 'utf8');
      expect(report.match(/^\/\/ Warning: \(ae-forgotten-export\).*$/gm) ?? [], entry).toEqual([]);
    }
    // The written-out shapes are in the report as the entry's own deprecated declarations.
    const report = readFileSync(join(root, 'api-reports', 'palette-tokens', 'report.api.md'), 'utf8');
    expect(report).toMatch(/\/\/ @public @deprecated[^\n]*\nexport const MemoryTokenStore: new \(options\?: MemoryTokenStoreOptions\) => MemoryTokenStore;/);
    expect(report).toMatch(/\/\/ @public @deprecated[^\n]*\nexport interface RedisConnectionConfig \{/);
  });

  it('are the real store classes', () => {
    expect(MemoryTokenStore).toBe(MemoryStore);
    expect(RedisTokenStore).toBe(RedisStore);
    expect(EncryptedTokenStore).toBe(EncryptedStore);
    expect(BackstageCacheTokenStore).toBe(BackstageCacheStore);
  });

  it('MemoryTokenStore builds a working bounded store a SessionTokenCache keeps tokens in', async () => {
    let now = Date.now();
    const memory = new MemoryTokenStore({ maxEntries: 2, clock: () => now, sweepIntervalMs: 0 });
    const cache = new SessionTokenCache({ store: memory, index: new MemoryTokenStore({ sweepIntervalMs: 0 }) });
    const token = paletteToken('alice@example.com');
    await cache.remember({ userEntityRef: 'user:default/alice', email: 'alice@example.com', sessionToken: token, expiresAt: now + 60_000 });
    expect((await cache.forUser('user:default/alice'))?.sessionToken).toBe(token);
    expect((await cache.forEmail('alice@example.com'))?.sessionToken).toBe(token);
    expect(memory.size).toBe(1);
    now += 120_000;
    expect(memory.purgeExpired()).toBe(1);
    expect(memory.size).toBe(0);
    await cache.close();
  });

  it('EncryptedTokenStore keeps only ciphertext in the store it wraps, and reads its tokens back', async () => {
    const inner = new MemoryTokenStore({ sweepIntervalMs: 0 });
    const key = randomBytes(32).toString('base64');
    registerSecret(key);
    const cache = new PaletteTokenCache({ store: new EncryptedTokenStore(inner, key, { previousKeys: [] }) });
    const token = paletteToken('bob@example.com');
    await cache.remember({ userEntityRef: 'user:default/bob', sessionToken: token, expiresAt: Date.now() + HOUR });
    expect((await cache.forUser('user:default/bob'))?.sessionToken).toBe(token);
    const stored = await inner.get(refKey('user:default/bob'));
    expect(stored).toMatch(/^scv1\./);
    expect(stored).not.toContain(token);
  });

  it("BackstageCacheTokenStore keeps tokens in Backstage's cache (a legacy backend's PluginEnvironment.cache)", async () => {
    const config = new ConfigReader({ backend: { baseUrl: 'http://127.0.0.1', cache: { store: 'memory' } } });
    const cache = new SessionTokenCache({ store: new BackstageCacheTokenStore({ cache: CacheManager.fromConfig(config).forPlugin('auth') }) });
    const token = paletteToken('carol@example.com');
    await cache.remember({ userEntityRef: 'user:default/carol', sessionToken: token, expiresAt: Date.now() + HOUR });
    expect((await cache.forUser('user:default/carol'))?.sessionToken).toBe(token);
  });

  describe('RedisTokenStore (a real redis-server)', () => {
    let server: RedisTestServer;
    beforeAll(async () => {
      server = await startRedisServer();
    });
    afterAll(async () => {
      await server?.close();
    });

    it('keeps tokens in Redis from a redis:// URL or a connection config, and claims a key once', async () => {
      for (const client of [server.url, { url: server.url, keyPrefix: 'deprecated:' }]) {
        const store = new RedisTokenStore({ client, timeoutMs: 5_000 });
        const cache = new SessionTokenCache({ store });
        const token = paletteToken('dave@example.com');
        await cache.remember({ userEntityRef: 'user:default/dave', sessionToken: token, expiresAt: Date.now() + HOUR });
        expect((await cache.forUser('user:default/dave'))?.sessionToken).toBe(token);
        const lock = `lock:${typeof client}`;
        expect(await store.claim(lock, Date.now() + 60_000)).toBe(true);
        expect(await store.claim(lock, Date.now() + 60_000)).toBe(false);
        await cache.close();
      }
    });
  });
});
