import http from 'node:http';
import https from 'node:https';
import type { SpectroCloudEndpoint } from '../errors';
import { ConnectionPool, type ProxySetting } from './connectionPool';
import { responseTooLarge, translateTransportError } from './translateTransportError';

export type { SpectroCloudEndpoint, ProxySetting };

export interface OutboundClientOptions {
  /** Milliseconds from the start of a request to the last byte of its answer. */
  timeoutMs: number;
  /** Largest answer body accepted, in bytes; a larger one is cut off while it streams. */
  maxResponseBytes: number;
  /** Default `'environment'` (HTTPS_PROXY / HTTP_PROXY / NO_PROXY). */
  proxy?: ProxySetting;
  /** Trusted CA certificates (PEM) replacing Node's list, see trustedCertificates(). */
  ca?: string[];
  /** Open connections per origin. Default 128. */
  maxSockets?: number;
}

export interface OutboundRequest {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
}

export interface OutboundResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  text(): string;
  /** The body as JSON, or undefined when it is not JSON. */
  json(): unknown;
}

const DEFAULT_MAX_SOCKETS = 128;
/**
 * Endpoints asked once per sign-in keep their connections; discovery, JWKS
 * and revocation are asked rarely, and a connection idle that long has
 * mostly been closed by the server, which a blocked event loop may not have
 * noticed yet (ECONNRESET on reuse, seen in the benchmarks).
 */
const REUSES_CONNECTIONS: Readonly<Record<SpectroCloudEndpoint, boolean>> = {
  token: true,
  userinfo: true,
  discovery: false,
  jwks: false,
  revocation: false,
  // Only the doctor asks it (browsers do in a sign-in).
  authorization: false,
  paletteApi: true,
};

/**
 * The one way this package talks to SpectroCloud (discovery, token, JWKS,
 * userinfo, revocation). Each request has a deadline that covers connecting,
 * waiting and reading, and that destroys the socket when it passes, so a
 * stalled server costs one slot for `timeoutMs` and no longer; answers are
 * read up to `maxResponseBytes` and cut off as soon as they pass it; every
 * failure becomes a {@link SpectroCloudNetworkError} naming the endpoint and
 * what happened, never a host, address or URL. HTTP error statuses are
 * returned, not thrown: what they mean depends on the endpoint.
 */
export class OutboundClient {
  private readonly pool: ConnectionPool;

  constructor(private readonly options: OutboundClientOptions) {
    this.pool = new ConnectionPool({
      proxy: options.proxy ?? 'environment',
      ca: options.ca,
      maxSockets: options.maxSockets ?? DEFAULT_MAX_SOCKETS,
    });
  }

  get timeoutMs(): number {
    return this.options.timeoutMs;
  }

  request(endpoint: SpectroCloudEndpoint, url: string, request: OutboundRequest = {}): Promise<OutboundResponse> {
    const target = new URL(url);
    const { agent, proxied } = this.pool.agentFor(target, REUSES_CONNECTIONS[endpoint]);
    const limit = this.options.maxResponseBytes;
    const body = request.body === undefined ? undefined : Buffer.from(request.body);
    const headers: Record<string, string | number> = { 'User-Agent': 'backstage-plugin-spectrocloud-auth-legacy', ...request.headers };
    if (body) headers['Content-Length'] = body.length;
    const library = target.protocol === 'https:' ? https : http;

    return new Promise<OutboundResponse>((resolve, reject) => {
      let settled = false;
      const fail = (error: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        // Frees the socket (and its agent slot) whatever state the request is in.
        outgoing.destroy();
        reject(translateTransportError(endpoint, error, this.options.timeoutMs, proxied));
      };
      const deadline = setTimeout(() => fail(new DeadlinePassed()), this.options.timeoutMs);
      deadline.unref();

      const outgoing = library.request(target, {
        method: request.method ?? 'GET',
        headers,
        agent,
        ...(this.options.ca ? { ca: this.options.ca } : {}),
      });
      outgoing.once('error', fail);
      outgoing.once('response', incoming => {
        const declared = Number(incoming.headers['content-length']);
        if (Number.isFinite(declared) && declared > limit) {
          fail(responseTooLarge(endpoint, limit));
          return;
        }
        const chunks: Buffer[] = [];
        let received = 0;
        incoming.on('data', (chunk: Buffer) => {
          received += chunk.length;
          if (received > limit) {
            fail(responseTooLarge(endpoint, limit));
            return;
          }
          chunks.push(chunk);
        });
        incoming.once('error', fail);
        incoming.once('aborted', () => fail(new ConnectionClosedEarly()));
        incoming.once('end', () => {
          if (settled) return;
          settled = true;
          clearTimeout(deadline);
          const bytes = Buffer.concat(chunks, received);
          resolve({
            status: incoming.statusCode ?? 0,
            headers: incoming.headers,
            body: bytes,
            text: () => bytes.toString('utf8'),
            json: () => parseJson(bytes),
          });
        });
      });
      outgoing.end(body);
    });
  }

  /** Closes idle connections (in-flight requests still end at their deadline). */
  close() {
    this.pool.destroy();
  }
}

/** The request's deadline passed (see translateTransportError). */
export class DeadlinePassed extends Error {
  override name = 'DeadlinePassed';
}

/** The server closed the connection before the answer was complete. */
export class ConnectionClosedEarly extends Error {
  override name = 'ConnectionClosedEarly';
  readonly code = 'ECONNRESET';
}

function parseJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
}
