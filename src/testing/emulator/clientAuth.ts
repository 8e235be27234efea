import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { OAuthError } from './oauthError';
import type { EmulatorClient } from './types';

interface Credentials {
  id: string;
  secret: string;
}

/**
 * client_secret_basic or client_secret_post, exactly one of them, as RFC 6749
 * 2.3.1 demands. Every failure is the same 401 invalid_client, so the answer
 * does not tell which part was wrong.
 */
export function authenticateClient(req: Request, clients: EmulatorClient[]): EmulatorClient {
  const basic = basicCredentials(req.headers.authorization);
  const body = req.body ?? {};
  const bodyId = typeof body.client_id === 'string' ? body.client_id : undefined;
  const bodySecret = typeof body.client_secret === 'string' ? body.client_secret : undefined;

  if (basic && bodySecret !== undefined) throw invalidClient('use one client authentication method, not both');
  if (basic && bodyId !== undefined && bodyId !== basic.id) throw invalidClient('client_id differs from the Basic credentials');
  const credentials = basic ?? (bodyId !== undefined && bodySecret !== undefined ? { id: bodyId, secret: bodySecret } : undefined);
  if (!credentials) throw invalidClient('client authentication is required (client_secret_basic or client_secret_post)');

  const client = clients.find(c => c.clientId === credentials.id);
  if (!client || !sameSecret(client.clientSecret, credentials.secret)) throw invalidClient('client authentication failed');
  return client;
}

/** RFC 6749 2.3.1: id and secret are form-urlencoded before they are joined and base64-encoded. */
function basicCredentials(header: string | undefined): Credentials | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw invalidClient('malformed Basic credentials');
  try {
    return { id: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
  } catch {
    throw invalidClient('malformed Basic credentials');
  }
}

function formDecode(value: string): string {
  return decodeURIComponent(value.replace(/\+/g, ' '));
}

// Hash first so the comparison takes the same time whatever the lengths.
function sameSecret(expected: string, given: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(expected), digest(given));
}

function invalidClient(description: string): OAuthError {
  return new OAuthError(401, 'invalid_client', description);
}
