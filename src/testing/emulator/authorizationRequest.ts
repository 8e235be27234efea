import type { ResolvedOptions } from './options';
import type { RedirectTarget } from './redirects';
import { textParam, type Params } from './requestParams';

/** A checked authorization request: everything later steps need. */
export interface AuthorizationRequest extends RedirectTarget {
  clientId: string;
  scope: string;
  nonce?: string;
  codeChallenge?: string;
  prompts: string[];
  loginHint?: string;
  /** `max_age` in seconds: an older SSO session must sign in again. */
  maxAge?: number;
  /** The first of `acr_values`, echoed as the ID token's `acr` claim. */
  acr?: string;
  /** Approve `loginHint` without a page (option autoApprove or `emulator_auto=1`). */
  auto: boolean;
}

export type ParsedAuthorizationRequest =
  | { kind: 'valid'; request: AuthorizationRequest }
  /** The client or redirect_uri cannot be trusted: answer with a page, never a redirect. */
  | { kind: 'page'; message: string }
  | { kind: 'redirect'; target: RedirectTarget; error: string; description: string };

/** Checks in the order a real server must: client and redirect_uri first, then the rest. */
export function parseAuthorizationRequest(params: Params, options: ResolvedOptions): ParsedAuthorizationRequest {
  const clientId = textParam(params, 'client_id');
  const client = options.clients.find(c => c.clientId === clientId);
  if (!client) return { kind: 'page', message: 'Unknown client_id: this application is not registered with the tenant.' };

  const redirectUri = textParam(params, 'redirect_uri');
  if (!redirectUri || !client.redirectUris.includes(redirectUri)) {
    return { kind: 'page', message: 'The redirect_uri is not registered for this application.' };
  }

  const target: RedirectTarget = { redirectUri, state: textParam(params, 'state') };
  const fail = (error: string, description: string) => ({ kind: 'redirect' as const, target, error, description });

  if (textParam(params, 'response_type') !== 'code') return fail('unsupported_response_type', 'only response_type=code is supported');

  const scopes = (textParam(params, 'scope') ?? '').split(' ').filter(Boolean);
  if (!scopes.includes('openid')) return fail('invalid_scope', 'scope must include openid');

  const codeChallenge = textParam(params, 'code_challenge');
  if (codeChallenge !== undefined) {
    // RFC 7636: a missing method means "plain", which Palette does not accept.
    if (textParam(params, 'code_challenge_method') !== 'S256') return fail('invalid_request', 'code_challenge_method must be S256');
    if (!/^[A-Za-z0-9_-]{43}$/.test(codeChallenge)) return fail('invalid_request', 'code_challenge is not a S256 challenge');
  } else if (options.requirePkce) {
    return fail('invalid_request', 'code_challenge (PKCE S256) is required');
  }

  const prompts = (textParam(params, 'prompt') ?? '').split(' ').filter(Boolean);
  if (prompts.includes('none') && prompts.length > 1) return fail('invalid_request', 'prompt=none cannot be combined with other values');

  const maxAgeText = textParam(params, 'max_age');
  if (maxAgeText !== undefined && !/^\d{1,10}$/.test(maxAgeText)) return fail('invalid_request', 'max_age must be a whole number of seconds');

  return {
    kind: 'valid',
    request: {
      ...target,
      clientId: client.clientId,
      scope: scopes.join(' '),
      nonce: textParam(params, 'nonce'),
      codeChallenge,
      prompts,
      loginHint: textParam(params, 'login_hint'),
      maxAge: maxAgeText === undefined ? undefined : Number(maxAgeText),
      acr: (textParam(params, 'acr_values') ?? '').split(' ').find(Boolean),
      auto: options.autoApprove || textParam(params, 'emulator_auto') === '1',
    },
  };
}
