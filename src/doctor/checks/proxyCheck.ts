import { connect } from 'node:net';
import { getProxyForUrl } from 'proxy-from-env';
import type { ResolvedEndpoints } from '../../oidc/EndpointResolver';
import { failed, passed, type CheckResult } from '../DoctorCheck';
import { FIXES } from '../fixes';
import type { DeploymentSettings } from './configCheck';

/**
 * `proxy`: which proxy each SpectroCloud host is reached through, decided
 * as the outbound client's ConnectionPool decides it (the `proxy` setting: a
 * URL, or false for none; else HTTPS_PROXY/HTTP_PROXY unless NO_PROXY names
 * the host, read by proxy-from-env), and whether that proxy accepts a TCP
 * connection. Proxy credentials are never shown.
 */
export async function checkProxy(
  { path, settings }: DeploymentSettings,
  endpoints: ResolvedEndpoints,
  env: NodeJS.ProcessEnv = process.env,
): Promise<CheckResult> {
  const configured = typeof settings.proxy === 'string' && settings.proxy !== 'environment' ? settings.proxy : undefined;
  const targets = [...new Set([settings.authorizationUrl, endpoints.tokenUrl, endpoints.jwksUrl].map(url => new URL(url).origin))];
  const envProxySet = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy'].some(name => env[name]);
  const routes: string[] = [];
  const proxies = new Map<string, URL>();
  for (const target of targets) {
    const host = new URL(target).host;
    if (settings.proxy === false) {
      routes.push(`${host} direct (${path}.proxy is false)`);
      continue;
    }
    const chosen = configured ?? getProxyForUrl(target);
    if (!chosen) {
      routes.push(`${host} direct${envProxySet ? ' (NO_PROXY matches)' : ''}`);
      continue;
    }
    let proxy: URL;
    try {
      proxy = new URL(chosen.includes('://') ? chosen : `http://${chosen}`);
    } catch {
      return failed('proxy', `the proxy for ${host} (${configured ? `${path}.proxy` : 'from the environment'}) is not a URL`, FIXES.proxy);
    }
    if (proxy.protocol !== 'http:' && proxy.protocol !== 'https:') {
      return failed('proxy', `the proxy for ${host} uses ${proxy.protocol.replace(':', '')}; only http and https proxies are supported`, FIXES.proxy);
    }
    proxies.set(proxy.host, proxy);
    routes.push(`${host} via ${proxy.protocol}//${proxy.host} (${configured ? `${path}.proxy` : 'HTTPS_PROXY/HTTP_PROXY'})`);
  }
  for (const proxy of proxies.values()) {
    const problem = await tryConnect(proxy, settings.timeout);
    if (problem) return failed('proxy', `the proxy ${proxy.protocol}//${proxy.host} ${problem}`, FIXES.proxy);
  }
  return passed('proxy', routes.join('; '));
}

/** A TCP connection to the proxy, bounded by the provider's timeout; undefined when it connects. */
function tryConnect(proxy: URL, timeoutMs: number): Promise<string | undefined> {
  const port = Number(proxy.port || (proxy.protocol === 'https:' ? 443 : 80));
  const host = proxy.hostname.replace(/^\[|\]$/g, '');
  return new Promise(resolve => {
    const socket = connect({ host, port, timeout: timeoutMs });
    const done = (problem: string | undefined) => {
      socket.destroy();
      resolve(problem);
    };
    socket.once('connect', () => done(undefined));
    socket.once('timeout', () => done(`did not accept a connection within ${timeoutMs} ms`));
    socket.once('error', error => done(`cannot be reached (${(error as NodeJS.ErrnoException).code ?? error.name})`));
  });
}
