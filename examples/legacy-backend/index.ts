/**
 * `pnpm example`: a legacy Backstage backend with the SpectroCloud provider,
 * the local SpectroCloud emulator, and an app page to sign in from.
 */
import { announceExample } from '../shared/announce';
import { readAppOriginOptions } from '../shared/appOrigin';
import { startExample } from './startExample';

// `pnpm example --app-origin http://localhost:3001` or `APP_ORIGIN=http://localhost:3001 pnpm example`:
// your own Backstage app on that origin signs in against this backend too.
const { appOrigins, appPage } = readAppOriginOptions(process.argv.slice(2), process.env);
const example = await startExample({ appOrigins, appPage });
announceExample('SpectroCloud sign-in example', example, [
  appPage ? `  App page:     ${example.appUrl}  (click "Sign in with SpectroCloud")` : '  App page:     off (--no-app-page)',
  ...appOrigins.map(origin => `  Your app:     ${origin}  (allowed origin: CORS and auth.experimentalExtraAllowedOrigins)`),
]);
