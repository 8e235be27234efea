import type { ResolvedOptions } from './options';
import type { RedirectTarget } from './redirects';

/** A checked authorization request: everything later steps need. */
export interface AuthorizationRequest extends RedirectTarget {
  clientId: string;
  scope: string;
  nonce?: string;
  codeChallenge?: string;
  prompts: string[];
  loginHint?: string;
  /** Approve `loginHint` without a page (option autoApprove or `emulator_auto=1`). */
  auto: boolean;
}

export type ParsedAuthorizationRequest =
  | { kind: 'valid'; request: AuthorizationRequest }
  /** The client or redirect_uri cannot be trusted: answer with a page, never a redirect. */
  | { kind: 'page'; message: string }
  | { kind: 'redirect'; target: RedirectTarget; error: string; description: string };

type Params = Record<string, unknown>;

/** Checks in the order a real server must: client and redirect_uri first, then the rest. */
export function parseAuthorizationRequest(params: Params, options: ResolvedOptions): ParsedAuthorizationRequest {
  const clientId = text(params, 'client_id');
  const client = options.clients.find(c => c.clientId === clientId);
  if (!client) return { kind: 'page', message: 'Unknown client_id: this application is not registered with the tenant.' };

  const redirectUri = text(params, 'redirect_uri');
  if (!redirectUri || !client.redirectUris.includes(redirectUri)) {
    return { kind: 'page', message: 'The redirect_uri is not registered for this application.' };
  }

  const target: RedirectTarget = { redirectUri, state: text(params, 'state') };
  const fail = (error: string, description: string) => ({ kind: 'redirect' as const, target, error, description });

  if (text(params, 'response_type') !== 'code') return fail('unsupported_response_type', 'only response_type=code is supported');

  const scopes = (text(params, 'scope') ?? '').split(' ').filter(Boolean);
  if (!scopes.includes('openid')) return fail('invalid_scope', 'scope must include openid');

  const codeChallenge = text(params, 'code_challenge');
  if (codeChallenge !== undefined) {
    // RFC 7636: a missing method means "plain", which Palette does not accept.
    if (text(params, 'code_challenge_method') !== 'S256') return fail('invalid_request', 'code_challenge_method must be S256');
    if (!/^[A-Za-z0-9_-]{43}$/.test(codeChallenge)) return fail('invalid_request', 'code_challenge is not a S256 challenge');
  } else if (options.requirePkce) {
    return fail('invalid_request', 'code_challenge (PKCE S256) is required');
  }

  const prompts = (text(params, 'prompt') ?? '').split(' ').filter(Boolean);
  if (prompts.includes('none') && prompts.length > 1) return fail('invalid_request', 'prompt=none cannot be combined with other values');

  return {
    kind: 'valid',
    request: {
      ...target,
      clientId: client.clientId,
      scope: scopes.join(' '),
      nonce: text(params, 'nonce'),
      codeChallenge,
      prompts,
      loginHint: text(params, 'login_hint'),
      auto: options.autoApprove || text(params, 'emulator_auto') === '1',
    },
  };
}

// Repeated parameters arrive as arrays; OAuth forbids them, so they count as absent.
function text(params: Params, name: string): string | undefined {
  const value = params[name];
  return typeof value === 'string' ? value : undefined;
}
