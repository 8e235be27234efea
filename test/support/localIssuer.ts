import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import jwt from 'jsonwebtoken';
import { registerSecret } from './secrets';

/** What the token endpoint answers: a JSON body and a status. */
export type TokenAnswer = (form: URLSearchParams) => { status?: number; body: Record<string, unknown> };

/**
 * A minimal issuer on loopback for unit tests of the security core: a real
 * RS256 key generated per instance, its JWKS at `/keys` (every request
 * counted) and a token endpoint at `/token` whose answer the test sets.
 */
export interface LocalIssuer {
  issuer: string;
  jwksUrl: string;
  tokenUrl: string;
  kid: string;
  privateKey: KeyObject;
  /** how many times `/keys` was requested */
  jwksRequests(): number;
  /** signs claims with the issuer's key (RS256, its kid) unless told otherwise */
  sign(claims: Record<string, unknown>, options?: { key?: KeyObject | Buffer | string; alg?: jwt.Algorithm | 'none'; kid?: string }): string;
  /** what `/token` answers next */
  answerTokenRequests(answer: TokenAnswer): void;
  /** the form bodies `/token` received */
  tokenRequests: URLSearchParams[];
  close(): Promise<void>;
}

export async function startLocalIssuer(): Promise<LocalIssuer> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomUUID();
  let jwksCount = 0;
  let tokenAnswer: TokenAnswer = () => ({ status: 400, body: { error: 'invalid_grant' } });
  const tokenRequests: URLSearchParams[] = [];

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'GET' && req.url === '/keys') {
      jwksCount++;
      send(200, { keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }] });
      return;
    }
    if (req.method === 'POST' && req.url === '/token') {
      const chunks: Buffer[] = [];
      req.on('data', chunk => chunks.push(chunk));
      req.on('end', () => {
        const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
        tokenRequests.push(form);
        const answer = tokenAnswer(form);
        send(answer.status ?? 200, answer.body);
      });
      return;
    }
    send(404, { error: 'not_found' });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    issuer: base,
    jwksUrl: `${base}/keys`,
    tokenUrl: `${base}/token`,
    kid,
    privateKey,
    jwksRequests: () => jwksCount,
    tokenRequests,
    sign(claims, options = {}) {
      const alg = options.alg ?? 'RS256';
      const token =
        alg === 'none'
          ? jwt.sign(claims, '', { algorithm: 'none', keyid: options.kid ?? kid, noTimestamp: !('iat' in claims) })
          : jwt.sign(claims, (options.key ?? privateKey) as jwt.Secret, {
              algorithm: alg,
              keyid: options.kid ?? kid,
              // keep the test's own iat, and no iat at all when it leaves it out on purpose
              noTimestamp: !('iat' in claims),
              // HS256 with a PEM "secret" is the key-confusion forgery these tests try on purpose.
              allowInsecureKeySizes: true,
              allowInvalidAsymmetricKeyTypes: true,
            });
      registerSecret(token);
      return token;
    },
    answerTokenRequests(answer) {
      tokenAnswer = answer;
    },
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
