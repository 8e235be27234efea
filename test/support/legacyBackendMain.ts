// A legacy backend in its own process (a replica, as operators run them):
// `node --import tsx legacyBackendMain.ts '<json>'` with { port, providers, users?, tokenPlugin?, build?, kind? },
// prints `READY <url>` once it listens; log lines go to stdout (TEST_LOGS).
//
// `tokenPlugin`: wired as the README tells operators to (one session-token
// cache from `.../palette-tokens` handed to `spectrocloud.create` and to a
// backend plugin's hand-off middleware at /api/spectrocloud/whoami).
// `kind: 'new'`: the new backend system with our module (startNewBackend) instead of the legacy router,
// for tests that need replicas of either backend; `tokenPlugin` and `build` are the legacy router's only.
// `build: 'dist'`: the package as a CommonJS legacy backend loads it, through
// `require` of the built entries (run tsup first), instead of the sources.
import { createRequire } from 'node:module';
import express from 'express';
import { ConfigReader } from '@backstage/config';
import { DefaultIdentityClient } from '@backstage/plugin-auth-node';
import { startLegacyBackend, userEntity } from './legacyBackend';
import { CATALOG } from './spectroFixture';
import { createTestLogger } from './logger';

interface Options {
  port: number;
  providers: never;
  /** [name, email] of the catalog's users; default the fixture's CATALOG */
  users?: Array<[string, string]>;
  tokenPlugin?: boolean;
  build?: 'source' | 'dist';
  kind?: 'legacy' | 'new';
}
type Main = typeof import('../../src');
type PaletteTokens = typeof import('../../src/paletteTokens');

const options = JSON.parse(process.argv[2]) as Options;
const users = options.users ? options.users.map(([name, email]) => userEntity(name, email)) : CATALOG;
if (options.kind === 'new') {
  const { startNewBackend } = await import('./newBackend');
  const backend = await startNewBackend({ port: options.port, providers: options.providers, users });
  process.stdout.write(`READY ${backend.url}\n`);
} else {
  await startLegacy();
}

async function startLegacy(): Promise<void> {
  const load = createRequire(import.meta.url);
  const [main, paletteTokens]: [Main, PaletteTokens] =
    options.build === 'dist'
      ? [load('../../dist/index.cjs'), load('../../dist/paletteTokens/index.cjs')]
      : [await import('../../src'), await import('../../src/paletteTokens')];

  const cache = options.tokenPlugin
    ? paletteTokens.createPaletteTokenCache(new ConfigReader({ auth: { providers: options.providers } }), {
        logger: createTestLogger([], { plugin: 'spectrocloud-tokens' }),
      })
    : undefined;
  const backend = await startLegacyBackend({
    port: options.port,
    providers: options.providers,
    users,
    providerFactories: { spectrocloud: main.spectrocloud.create(cache ? { paletteTokenCache: cache } : undefined) },
    routers: ({ discovery }): Record<string, express.Router> => {
      if (!cache) return {};
      const router = express.Router();
      router.use(paletteTokens.createPaletteTokenMiddleware({ identity: DefaultIdentityClient.create({ discovery }), cache }));
      router.get('/whoami', (req, res) => res.json({ userEntityRef: (req as import('../../src/paletteTokens').SpectroCloudRequest).spectroCloud!.userEntityRef }));
      return { '/api/spectrocloud': router };
    },
  });
  process.stdout.write(`READY ${backend.url}\n`);
}
