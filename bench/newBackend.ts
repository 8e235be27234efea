// The package's new-backend-system module (`./backend-module`) in a real
// `createBackend()` with the current auth plugin, against its own standard
// OIDC server (panva's oidc-provider, real refresh tokens): the third
// contender of figure 1, asked exactly as the legacy providers are.
import { startNewBackend } from '../test/support/newBackend';
import { userEntity } from '../test/support/legacyBackend';
import { silentLogger, type StandardOidcModule } from './backend';

export async function startStandardNewBackend(): Promise<
  { authUrl: string; authorize(location: string, email: string): Promise<string>; close(): Promise<void> } | undefined
> {
  let mod: StandardOidcModule;
  try {
    mod = (await import(new URL('../test/support/standardOidcServer.ts', import.meta.url).href)) as StandardOidcModule;
  } catch (error) {
    console.log(`   (standard OIDC server unavailable: ${(error as Error).message.split('\n')[0]})`);
    return undefined;
  }
  let idp: Awaited<ReturnType<StandardOidcModule['startStandardOidcServer']>> | undefined;
  const backend = await startNewBackend({
    users: [userEntity('alice', 'alice@example.com'), userEntity('bob', 'bob@example.com')],
    logger: silentLogger(),
    keepAliveTimeoutMs: 60_000,
    providers: async backendUrl => {
      idp = await mod.startStandardOidcServer({
        redirectUris: [`${backendUrl}/api/auth/spectrocloud/handler/frame`],
        clientId: 'bench-standard-new',
        clientSecret: 'bench-standard-secret-71c4',
        accounts: [{ sub: 'user-0', email: 'alice@example.com', given_name: 'Alice', family_name: 'Example' }, { sub: 'user-1', email: 'bob@example.com', given_name: 'Bob', family_name: 'Builder' }],
        idTokenTtl: 3600,
      });
      return {
        spectrocloud: {
          development: {
            clientId: idp.clientIds.post,
            clientSecret: 'bench-standard-secret-71c4',
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
