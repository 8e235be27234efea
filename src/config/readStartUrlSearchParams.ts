import type { Config } from '@backstage/config';
import { SpectroCloudConfigError } from '../errors';

/** Parameters this package sets itself on every authorization request; config must not change them. */
const OWNED_PARAMS: Record<string, string> = {
  state: 'it carries the sign-in state',
  nonce: 'it binds the ID token to this browser',
  code_challenge: 'it is the PKCE challenge',
  code_challenge_method: 'it is always S256',
  redirect_uri: 'set callbackUrl instead',
  client_id: 'set clientId instead',
  response_type: 'it is always code',
  scope: 'set scope or additionalScopes instead',
  prompt: 'set prompt instead',
};
const PARAM_NAME = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;
const MAX_VALUE_LENGTH = 512;

export interface StartUrlSearchParams {
  /** Every extra parameter as it goes on the authorization URL. */
  params: Record<string, string>;
  /** `max_age` in seconds, when set: the ID token's `auth_time` is then checked. */
  maxAge?: number;
}

/**
 * `startUrlSearchParams` (Backstage's oidc provider's name): extra
 * authorization parameters such as `acr_values` or `max_age`, added to every
 * sign-in; the ones this package owns are refused with the key to use instead.
 */
export function readStartUrlSearchParams(config: Config, at: (key: string) => string): StartUrlSearchParams {
  if (!config.has('startUrlSearchParams')) return { params: {} };
  const path = at('startUrlSearchParams');
  let block: Config;
  try {
    block = config.getConfig('startUrlSearchParams');
  } catch {
    throw new SpectroCloudConfigError(`Invalid type for '${path}'. Expected a map of parameter names to values, e.g. { acr_values: mfa, max_age: 300 }.`, path);
  }
  const params: Record<string, string> = {};
  for (const name of block.keys()) {
    if (OWNED_PARAMS[name]) {
      throw new SpectroCloudConfigError(`'${path}.${name}' cannot be set: ${OWNED_PARAMS[name]}.`, `${path}.${name}`);
    }
    if (!PARAM_NAME.test(name)) {
      throw new SpectroCloudConfigError(`Invalid parameter name '${path}.${name}'. Use letters, digits, '_', '.' or '-'.`, `${path}.${name}`);
    }
    const raw = block.getOptional(name);
    if ((typeof raw !== 'string' && typeof raw !== 'number') || String(raw).length === 0 || String(raw).length > MAX_VALUE_LENGTH) {
      throw new SpectroCloudConfigError(`Invalid '${path}.${name}' value. Expected a string or number of 1 to ${MAX_VALUE_LENGTH} characters.`, `${path}.${name}`);
    }
    params[name] = String(raw);
  }
  if (params.max_age === undefined) return { params };
  if (!/^\d{1,9}$/.test(params.max_age)) {
    throw new SpectroCloudConfigError(`Invalid '${path}.max_age' value '${params.max_age}'. Use a whole number of seconds, e.g. 300.`, `${path}.max_age`);
  }
  return { params, maxAge: Number(params.max_age) };
}
