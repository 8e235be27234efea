import type { Config } from '@backstage/config';

/**
 * Key names whose values are secrets in Backstage configs: clientSecret,
 * encryptionKey, previousEncryptionKeys, password, accessToken... Matched at the
 * end of the name, so tokenUrl or tokenEndpointAuthMethod are not masked.
 */
const SECRET_KEY = /(secret|password|passwd|credentials?|token|key|keys)$/i;

/**
 * Every secret value in the loaded config and in proxy variables: secret-named
 * keys and the credentials inside URLs. The doctor masks them in whatever it
 * prints, whichever check the text came from.
 */
export function collectSecrets(config: Config, env: NodeJS.ProcessEnv = process.env): string[] {
  const found = new Set<string>();
  const visit = (value: unknown, key: string) => {
    if (typeof value === 'string') {
      if (SECRET_KEY.test(key)) found.add(value);
      addUrlCredentials(value, found);
    } else if (Array.isArray(value)) {
      value.forEach(item => visit(item, key));
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) visit(v, k);
    }
  };
  visit(config.getOptional(), '');
  for (const name of ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy']) {
    if (env[name]) addUrlCredentials(env[name]!, found);
  }
  return [...found].filter(Boolean).sort((a, b) => b.length - a.length);
}

function addUrlCredentials(value: string, found: Set<string>) {
  if (!value.includes('@')) return;
  try {
    const url = new URL(value);
    if (url.password) found.add(decodeURIComponent(url.password)).add(url.password);
  } catch {
    // not a URL
  }
}
