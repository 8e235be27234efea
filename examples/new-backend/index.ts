/**
 * `pnpm example:new-backend`: the same example as `pnpm example` on the new
 * backend system (createBackend() with the auth plugin and the SpectroCloud module).
 */
import { announceExample } from '../shared/announce';
import { startNewExample } from './startNewExample';

const example = await startNewExample();
announceExample('SpectroCloud sign-in example (new backend system)', example, [
  `  App page:     ${example.appUrl}  (click "Sign in with SpectroCloud")`,
]);
