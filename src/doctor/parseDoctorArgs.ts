import { parseArgs } from 'node:util';

export const DOCTOR_USAGE = `Usage: backstage-plugin-spectrocloud-auth-legacy doctor --config app-config.yaml [options]

Checks a deployment's SpectroCloud sign-in settings as the provider will use
them, one line per check (ok, warn or fail). Prints no secret. Exit status: 0
every check passed, warnings included (usable as a readiness probe), 1 a check
failed, 2 wrong usage.

  --config FILE      app-config file, repeatable, later files win (as for the backend)
  --json             one JSON document on stdout instead of lines:
                     { "ok": boolean, "checks": [{ "check", "ok", "warning"?, "detail" | "problem", "fix" }] }
  --env NAME         auth environment to check (default: auth.environment, else development)
  --provider ID      provider id under auth.providers (default: spectrocloud)
  --help`;

export interface DoctorArgs {
  configFiles: string[];
  environment?: string;
  providerId: string;
  json?: boolean;
}

/** Command-line flags of `doctor`; throws naming the flag that is wrong. */
export function parseDoctorArgs(argv: string[]): DoctorArgs | 'help' {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      config: { type: 'string', multiple: true },
      env: { type: 'string' },
      provider: { type: 'string' },
      help: { type: 'boolean' },
      json: { type: 'boolean' },
    },
  });
  if (values.help) return 'help';
  if (!values.config?.length) throw new Error('--config is required (the app-config files your backend starts with)');
  return { configFiles: values.config, environment: values.env, providerId: values.provider ?? 'spectrocloud', json: values.json ?? false };
}
