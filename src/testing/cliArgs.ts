import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { SpectroCloudEmulatorOptions } from './emulator/types';
import { EXAMPLE_USERS } from './exampleUsers';

export const USAGE = `Usage: spectrocloud-emulator --client-id ID --client-secret SECRET --redirect-uri URL [options]

  --client-id ID            OAuth client id (required)
  --client-secret SECRET    client secret (required; or env SPECTROCLOUD_EMULATOR_CLIENT_SECRET)
  --redirect-uri URL        registered redirect URI (required, repeatable)
  --post-logout-redirect-uri URL
                            registered post_logout_redirect_uri (repeatable; default none)
  --users FILE              YAML or JSON users file ({ users: [...] }); default: the
                            example users alice@example.com, bob@example.com and
                            carol@example.com (groups platform-team, developers, guests)
  --port N                  default 7010 (0 picks a free port)
  --host HOST               default 127.0.0.1
  --tenant ID               default tenant-local
  --id-token-ttl SECONDS    default 3600
  --palette-token-as-code   hand out the HS256 Palette token as the code
  --no-discovery            answer 404 at .well-known/openid-configuration
  --require-pkce            refuse authorization requests without S256 PKCE
  --auto-approve            approve login_hint=<email> without a page
  --tls-key FILE            serve HTTPS with this PEM private key (needs --tls-cert)
  --tls-cert FILE           serve HTTPS with this PEM certificate (needs --tls-key)
  --help

Deprecated (still accepted):
  --session-token-as-code   the old name of --palette-token-as-code`;

const SECRET_ENV = 'SPECTROCLOUD_EMULATOR_CLIENT_SECRET';

/** Turns command-line flags into emulator options; throws naming the flag that is wrong. */
export function parseCliArgs(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
  readText: (path: string) => string = path => readFileSync(path, 'utf8'),
): SpectroCloudEmulatorOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      'client-id': { type: 'string' },
      'client-secret': { type: 'string' },
      'redirect-uri': { type: 'string', multiple: true },
      'post-logout-redirect-uri': { type: 'string', multiple: true },
      'tls-key': { type: 'string' },
      'tls-cert': { type: 'string' },
      users: { type: 'string' },
      port: { type: 'string', default: '7010' },
      host: { type: 'string', default: '127.0.0.1' },
      tenant: { type: 'string' },
      'id-token-ttl': { type: 'string' },
      'palette-token-as-code': { type: 'boolean' },
      // Its released name (issue 25 renamed it), still accepted.
      'session-token-as-code': { type: 'boolean' },
      'no-discovery': { type: 'boolean' },
      'require-pkce': { type: 'boolean' },
      'auto-approve': { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return 'help';
  const clientId = values['client-id'];
  const clientSecret = values['client-secret'] ?? env[SECRET_ENV];
  const redirectUris = values['redirect-uri'] ?? [];
  if (!clientId) throw new Error('--client-id is required');
  if (!clientSecret) throw new Error(`--client-secret (or ${SECRET_ENV}) is required`);
  if (redirectUris.length === 0) throw new Error('--redirect-uri is required');
  const postLogoutRedirectUris = values['post-logout-redirect-uri'];
  return {
    host: values.host,
    port: integer('--port', values.port),
    tenantId: values.tenant,
    clients: [{ clientId, clientSecret, redirectUris, ...(postLogoutRedirectUris ? { postLogoutRedirectUris } : {}) }],
    // Without a file, the example users: an installed package has no users file of its own.
    ...(values.users === undefined ? { users: EXAMPLE_USERS.map(user => ({ ...user, groups: [...(user.groups ?? [])] })) } : { usersFile: values.users }),
    idTokenTtlSeconds: values['id-token-ttl'] === undefined ? undefined : integer('--id-token-ttl', values['id-token-ttl']),
    paletteTokenAsCode: values['palette-token-as-code'] || values['session-token-as-code'] || undefined,
    discovery: !values['no-discovery'],
    requirePkce: values['require-pkce'],
    autoApprove: values['auto-approve'],
    tls: readTls(values['tls-key'], values['tls-cert'], readText),
  };
}

function readTls(keyFile: string | undefined, certFile: string | undefined, readText: (path: string) => string) {
  if (keyFile === undefined && certFile === undefined) return undefined;
  if (keyFile === undefined) throw new Error('--tls-cert needs --tls-key');
  if (certFile === undefined) throw new Error('--tls-key needs --tls-cert');
  return { key: readFile('--tls-key', keyFile, readText), cert: readFile('--tls-cert', certFile, readText) };
}

// The message names the flag and the path, never the file's content (a private key).
function readFile(flag: string, path: string, readText: (path: string) => string): string {
  try {
    return readText(path);
  } catch {
    throw new Error(`${flag}: cannot read "${path}"`);
  }
}

function integer(flag: string, value: string | undefined): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${flag} must be a whole number, got "${value}"`);
  return n;
}
