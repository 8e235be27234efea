import http from 'node:http';
import https from 'node:https';
import { HttpProxyAgent } from 'http-proxy-agent';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { getProxyForUrl } from 'proxy-from-env';

/**
 * Which proxy, if any: a URL for every request, `false` for none (even when
 * HTTPS_PROXY is set), or `'environment'` to follow HTTPS_PROXY / HTTP_PROXY
 * / NO_PROXY (read at each request, upper or lower case).
 */
export type ProxySetting = string | false | 'environment';

export interface ConnectionPoolOptions {
  proxy: ProxySetting;
  /** Trusted CA certificates (PEM) replacing Node's list; undefined keeps Node's (NODE_EXTRA_CA_CERTS included). */
  ca?: string[];
  /** Upper bound of open connections per origin. */
  maxSockets: number;
}

/**
 * Idle connections are dropped after this long, before common servers
 * (Node's default keep-alive is 5 s) close them: reusing a connection the
 * server already closed fails the request, and a code exchange cannot be retried.
 */
const IDLE_SOCKET_TIMEOUT_MS = 4_000;
/** Idle connections kept per origin; more are closed once their request ends. */
const MAX_FREE_SOCKETS = 16;

/**
 * Keep-alive agents for one provider environment: one per scheme for direct
 * connections and one per proxy URL and scheme. Sockets are bounded per
 * origin, and a request's deadline destroys its socket (see OutboundClient),
 * so stuck requests give their slot back instead of queueing later ones.
 *
 * Proxies go through TooTallNate's `https-proxy-agent` (CONNECT tunnels) and
 * `http-proxy-agent` (absolute-URI requests), with `proxy-from-env` for
 * HTTPS_PROXY / NO_PROXY: they are `http.Agent`s, so the same Node request
 * code serves direct and proxied calls, they pool connections like Node's own
 * agents, and npm itself relies on them. undici's ProxyAgent would have
 * meant a second HTTP stack beside node-oauth's expectations.
 */
export class ConnectionPool {
  private readonly agents = new Map<string, http.Agent>();

  constructor(private readonly options: ConnectionPoolOptions) {}

  /** The agent for `url`; `proxied` tells whether it goes through a proxy (for diagnostics). */
  agentFor(url: URL): { agent: http.Agent; proxied: boolean } {
    const proxyUrl = this.proxyFor(url);
    const secure = url.protocol === 'https:';
    const key = `${secure ? 'https' : 'http'} ${proxyUrl ?? 'direct'}`;
    let agent = this.agents.get(key);
    if (!agent) {
      agent = this.createAgent(secure, proxyUrl);
      this.agents.set(key, agent);
    }
    return { agent, proxied: proxyUrl !== undefined };
  }

  /** Closes idle connections; requests in flight end on their own deadline. */
  destroy() {
    for (const agent of this.agents.values()) agent.destroy();
    this.agents.clear();
  }

  private proxyFor(url: URL): string | undefined {
    const { proxy } = this.options;
    if (proxy === false) return undefined;
    if (proxy === 'environment') return getProxyForUrl(url.toString()) || undefined;
    return proxy;
  }

  private createAgent(secure: boolean, proxyUrl: string | undefined): http.Agent {
    const pooling = {
      keepAlive: true,
      timeout: IDLE_SOCKET_TIMEOUT_MS,
      maxSockets: this.options.maxSockets,
      maxFreeSockets: MAX_FREE_SOCKETS,
      // The most recently used socket is the least likely to have been closed by the server.
      scheduling: 'lifo' as const,
    };
    const tls = this.options.ca ? { ca: this.options.ca } : {};
    if (proxyUrl === undefined) {
      return secure ? new https.Agent({ ...pooling, ...tls }) : new http.Agent(pooling);
    }
    return secure ? new HttpsProxyAgent(proxyUrl, { ...pooling, ...tls }) : new HttpProxyAgent(proxyUrl, pooling);
  }
}
