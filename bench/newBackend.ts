// The package's new-backend-system module (`./backend-module`) in a real
// `createBackend()` with the current auth plugin, against its own standard
// OIDC server (panva's oidc-provider, real refresh tokens): the third
// contender of figure 1, asked exactly as the legacy providers are.
import { startNewBackend } from '../test/support/newBackend';
import { userEntity } from '../test/support/legacyBackend';
import { loadStandardIdp, silentLogger, STANDARD_CLIENT_SECRET, type StandardIdp } from './backend';

export async function startStandardNewBackend(): Promise<
  { authUrl: string; authorize(location: string, email: string): Promise<string>; close(): Promise<void> } | undefined
> {
  const start = await loadStandardIdp();
  if (!start) return undefined;
  let idp: StandardIdp | undefined;
  const backend = await startNewBackend({
    users: [userEntity('alice', 'alice@example.com'), userEntity('bob', 'bob@example.com')],
    logger: silentLogger(),
    keepAliveTimeoutMs: 60_000,
    providers: async backendUrl => {
      idp = await start('bench-standard-new', [`${backendUrl}/api/auth/spectrocloud/handler/frame`]);
      return {
        spectrocloud: {
          development: {
            clientId: idp.clientIds.post,
            clientSecret: STANDARD_CLIENT_SECRET,
            authorizationUrl: idp.authorizationUrl,
            // The same request as the legacy contender's (see bench/backend.ts).
            scope: 'openid profile email offline_access',
            prompt: 'consent',
            signIn: { resolvers: [{ resolver: 'emailMatchingUserEntityProfileEmail' }] },
          },
        },
      };
    },
  });
  const started = idp!;
  return {
    authUrl: backend.authUrl,
    authorize: (location, email) => started.authorize(location, email),
    close: async () => {
      await backend.close();
      await started.close();
    },
  };
}
