/**
 * `pnpm example`: a legacy Backstage backend with the SpectroCloud provider,
 * the local SpectroCloud emulator, and an app page to sign in from.
 */
import { startExample } from './startExample';

const example = await startExample();
const lines = [
  '',
  'SpectroCloud sign-in example is running.',
  `  App page:     ${example.appUrl}  (click "Sign in with SpectroCloud")`,
  `  Backend:      ${example.backendUrl}`,
  example.emulator
    ? `  Emulator:     ${example.emulator.issuer}  (users: alice@, bob@ in the catalog; carol@ is not)`
    : '  SpectroCloud: the real tenant from SPECTROCLOUD_AUTHORIZATION_URL',
  '',
  'Try the start endpoint, it answers 302 to SpectroCloud:',
  `  curl -i '${example.backendUrl}/api/auth/spectrocloud/start?env=development'`,
  '',
  'Ctrl-C stops everything.',
];
process.stdout.write(`${lines.join('\n')}\n`);

const stop = () => void example.close().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
