import http from 'node:http';
import https from 'node:https';

/**
 * Idle connections are dropped after this long, before common servers
 * (Node's default keep-alive is 5 s) close them: reusing a connection the
 * server already closed fails the request, and a code exchange cannot be retried.
 */
const IDLE_SOCKET_TIMEOUT_MS = 4_000;

/** Reuses connections to the token endpoint: one TLS handshake saved per sign-in. */
export function createKeepAliveAgent(url: string): http.Agent {
  const options = { keepAlive: true, maxSockets: 64, timeout: IDLE_SOCKET_TIMEOUT_MS };
  return isHttps(url) ? new https.Agent(options) : new http.Agent(options);
}

/** For rare requests (JWKS): a new connection each time. */
export function createFreshConnectionAgent(url: string): http.Agent {
  return isHttps(url) ? new https.Agent({ keepAlive: false }) : new http.Agent({ keepAlive: false });
}

function isHttps(url: string): boolean {
  return new URL(url).protocol === 'https:';
}
