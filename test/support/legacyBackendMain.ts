// A legacy backend in its own process (a replica, as operators run them):
// `node --import tsx legacyBackendMain.ts '<json>'` with { port, providers },
// prints `READY <url>` once it listens; log lines go to stdout (TEST_LOGS).
import { spectrocloud } from '../../src';
import { startLegacyBackend } from './legacyBackend';
import { CATALOG } from './spectroFixture';

const { port, providers } = JSON.parse(process.argv[2]) as { port: number; providers: never };
const backend = await startLegacyBackend({ port, providers, users: CATALOG, providerFactories: { spectrocloud: spectrocloud.create() } });
process.stdout.write(`READY ${backend.url}\n`);
