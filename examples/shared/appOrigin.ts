/**
 * The examples' app-origin option: an adopter's Backstage app on another
 * origin (e.g. `yarn start` on http://localhost:3001) signs in against the
 * example backend. Read from `--app-origin <origin>` (repeatable) or
 * `APP_ORIGIN` (comma-separated); `--no-app-page` or `EXAMPLE_APP_PAGE=off`
 * turns the example's own page off.
 */
import type { Config } from '@backstage/config';

export interface AppOriginOptions {
  /** Origins of other apps that sign in against the backend: CORS and auth's allowed origins. */
  appOrigins: string[];
  /** false: no example page; the first app origin is then the app's base URL. */
  appPage: boolean;
}

export function readAppOriginOptions(argv: readonly string[], env: Record<string, string | undefined>): AppOriginOptions {
  const given: { value: string; from: string }[] = (env.APP_ORIGIN ?? '')
    .split(',')
    .map(value => value.trim())
    .filter(Boolean)
    .map(value => ({ value, from: 'APP_ORIGIN' }));
  let appPage = !/^(off|false|0|no)$/i.test(env.EXAMPLE_APP_PAGE ?? '');
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--no-app-page') appPage = false;
    else if (arg === '--app-origin' || arg.startsWith('--app-origin=')) {
      const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[(i += 1)];
      if (!value) throw new Error('--app-origin needs an origin, e.g. --app-origin http://localhost:3001');
      given.push({ value, from: '--app-origin' });
    } else throw new Error(`unknown argument ${JSON.stringify(arg)}: the example takes --app-origin <origin> and --no-app-page`);
  }
  const appOrigins = given.map(({ value, from }) => toOrigin(value, from));
  if (!appPage && appOrigins.length === 0) {
    throw new Error('the example page is off (--no-app-page or EXAMPLE_APP_PAGE=off) but no app origin is set: add APP_ORIGIN=http://localhost:3001 or --app-origin');
  }
  return { appOrigins, appPage };
}

/** The origins the backend's CORS answers: the app's base URL and auth's extra allowed origins. */
export function corsOrigins(config: Config): string[] {
  return [
    new URL(config.getString('app.baseUrl')).origin,
    ...(config.getOptionalStringArray('auth.experimentalExtraAllowedOrigins') ?? []),
  ];
}

function toOrigin(value: string, from: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${from}: ${JSON.stringify(value)} is not a URL; write an origin such as http://localhost:3001`);
  }
  if (!/^https?:$/.test(url.protocol) || url.origin !== value.replace(/\/$/, '')) {
    throw new Error(`${from}: ${JSON.stringify(value)} is not an origin; write scheme, host and port only, e.g. ${url.origin}`);
  }
  return url.origin;
}
