import { parseArgs } from 'node:util';
import type { SpectroCloudEmulatorOptions } from './emulator/types';

export const USAGE = `Usage: spectrocloud-emulator --client-id ID --client-secret SECRET --redirect-uri URL [options]

  --client-id ID            OAuth client id (required)
  --client-secret SECRET    client secret (required; or env SPECTROCLOUD_EMULATOR_CLIENT_SECRET)
  --redirect-uri URL        registered redirect URI (required, repeatable)
  --users FILE              YAML or JSON users file ({ users: [...] })
  --port N                  default 7010 (0 picks a free port)
  --host HOST               default 127.0.0.1
  --tenant ID               default tenant-local
  --id-token-ttl SECONDS    default 3600
  --session-token-as-code   hand out the HS256 session token as the code
  --no-discovery            answer 404 at .well-known/openid-configuration
  --require-pkce            refuse authorization requests without S256 PKCE
  --auto-approve            approve login_hint=<email> without a page
  --help`;

const SECRET_ENV = 'SPECTROCLOUD_EMULATOR_CLIENT_SECRET';

/** Turns command-line flags into emulator options; throws naming the flag that is wrong. */
export function parseCliArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): SpectroCloudEmulatorOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      'client-id': { type: 'string' },
      'client-secret': { type: 'string' },
      'redirect-uri': { type: 'string', multiple: true },
      users: { type: 'string' },
      port: { type: 'string', default: '7010' },
      host: { type: 'string', default: '127.0.0.1' },
      tenant: { type: 'string' },
      'id-token-ttl': { type: 'string' },
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
  return {
    host: values.host,
    port: integer('--port', values.port),
    tenantId: values.tenant,
    clients: [{ clientId, clientSecret, redirectUris }],
    usersFile: values.users,
    idTokenTtlSeconds: values['id-token-ttl'] === undefined ? undefined : integer('--id-token-ttl', values['id-token-ttl']),
    sessionTokenAsCode: values['session-token-as-code'],
    discovery: !values['no-discovery'],
    requirePkce: values['require-pkce'],
    autoApprove: values['auto-approve'],
  };
}

function integer(flag: string, value: string | undefined): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${flag} must be a whole number, got "${value}"`);
  return n;
}
