/**
 * `pnpm example`: a legacy Backstage backend with the SpectroCloud provider,
 * the local SpectroCloud emulator, and an app page to sign in from.
 */
import { readAppOriginOptions } from '../shared/appOrigin';
import { startExample } from './startExample';

// `pnpm example --app-origin http://localhost:3001` or `APP_ORIGIN=http://localhost:3001 pnpm example`:
// your own Backstage app on that origin signs in against this backend too.
const { appOrigins, appPage } = readAppOriginOptions(process.argv.slice(2), process.env);
const example = await startExample({ appOrigins, appPage });
const lines = [
  '',
  'SpectroCloud sign-in example is running.',
  appPage ? `  App page:     ${example.appUrl}  (click "Sign in with SpectroCloud")` : '  App page:     off (--no-app-page)',
  ...appOrigins.map(origin => `  Your app:     ${origin}  (allowed origin: CORS and auth.experimentalExtraAllowedOrigins)`),
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
