import http from 'node:http';
import https from 'node:https';

/** Reuses connections to the token endpoint: one TLS handshake saved per sign-in. */
export function createKeepAliveAgent(url: string): http.Agent {
  const options = { keepAlive: true, maxSockets: 64 };
  return new URL(url).protocol === 'https:' ? new https.Agent(options) : new http.Agent(options);
}
