/**
 * `pnpm example:new-backend`: the same example as `pnpm example` on the new
 * backend system (createBackend() with the auth plugin and the SpectroCloud module).
 */
import { startNewExample } from './startNewExample';

const example = await startNewExample();
const lines = [
  '',
  'SpectroCloud sign-in example (new backend system) is running.',
  `  App page:     ${example.appUrl}  (click "Sign in with SpectroCloud")`,
  `  Backend:      ${example.backendUrl}`,
  example.emulator
    ? `  Emulator:     ${example.emulator.issuer}  (users: alice@, bob@ in the catalog; carol@ is not)`
    : '  SpectroCloud: the real tenant from SPECTROCLOUD_AUTHORIZATION_URL',
  '',
  `  curl -i '${example.backendUrl}/api/auth/spectrocloud/start?env=development'`,
  '',
  'Ctrl-C stops everything.',
];
process.stdout.write(`${lines.join('\n')}\n`);

const stop = () => void example.close().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
