import type { Config } from '@backstage/config';
import { readEnvironmentConfig, type SpectroCloudEnvironmentConfig } from '../../config/readEnvironmentConfig';
import { readTokenStoreBlock, type TokenStoreConfig } from '../../paletteTokens/stores/config';
import { readSignInResolversFromConfig } from '../../resolvers';
import { failed, passed, type CheckResult } from '../DoctorCheck';
import { FIXES } from '../fixes';

/** What the later checks need: the provider's settings exactly as the provider reads them. */
export interface DeploymentSettings {
  providerId: string;
  environment: string;
  /** `auth.providers.<id>.<env>` */
  path: string;
  /** the raw environment block */
  block: Config;
  settings: SpectroCloudEnvironmentConfig;
  /** backend.baseUrl + /api/auth, as the legacy router's discovery gives it */
  authBaseUrl: string;
  appUrl: string;
  backendBaseUrl: string;
  /** the whole deployment's config (backend.cors, auth.session, other providers) */
  root: Config;
  /** `auth.providers.<id>`, whose `tokenStore` the store is built from */
  provider: Config;
  tokenStore: TokenStoreConfig;
}

/**
 * `config`: the keys of the chosen environment block, read by the provider's
 * own reader (so the messages are the ERR_CONFIG messages the backend would
 * throw at start), plus sign-in resolvers and the token store.
 */
export function checkConfig(
  config: Config,
  options: { providerId: string; environment?: string },
): { result: CheckResult; deployment?: DeploymentSettings } {
  const { providerId } = options;
  const fail = (problem: string) => ({ result: failed('config', problem, FIXES.config) });
  const environment = options.environment ?? config.getOptionalString('auth.environment') ?? 'development';
  const providerPath = `auth.providers.${providerId}`;
  const provider = config.getOptionalConfig(providerPath);
  if (!provider) return fail(`Missing required config value '${providerPath}'. Add the provider block with an environment named '${environment}'`);
  if (!provider.has(environment)) {
    const found = provider.keys().filter(key => key !== 'tokenStore');
    return fail(
      `Missing required config value '${providerPath}.${environment}' (environment blocks found: ${found.join(', ') || 'none'}). Add it, or pass --env with one of those`,
    );
  }
  const backendBaseUrl = config.getOptionalString('backend.baseUrl');
  const appUrl = config.getOptionalString('app.baseUrl');
  if (!backendBaseUrl) return fail("Missing required config value 'backend.baseUrl'. Set it to the backend's external URL");
  if (!appUrl) return fail("Missing required config value 'app.baseUrl'. Set it to the app's external URL");

  const path = `${providerPath}.${environment}`;
  const authBaseUrl = `${backendBaseUrl.replace(/\/+$/, '')}/api/auth`;
  try {
    const block = provider.getConfig(environment);
    const settings = readEnvironmentConfig(block, { path, authBaseUrl, providerId });
    const resolvers = readSignInResolversFromConfig(block, path);
    const store = readTokenStoreBlock(provider.getOptional('tokenStore'), { providerId });
    return {
      result: passed(
        'config',
        `${path}: clientId and clientSecret set (not shown), scope '${settings.scope}', clockTolerance ${settings.clockTolerance}s, timeout ${settings.timeout}ms; sign-in resolvers ${resolvers ? 'from config' : 'not configured (set in code)'}; token store ${store.type}`,
      ),
      deployment: { providerId, environment, path, block, settings, authBaseUrl, appUrl, backendBaseUrl, root: config, provider, tokenStore: store },
    };
  } catch (error) {
    return fail((error as Error).message);
  }
}
