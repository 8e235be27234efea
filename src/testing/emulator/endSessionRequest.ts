import { idTokenHintAudiences } from './idTokenHint';
import type { RedirectTarget } from './redirects';
import { textParam, type Params } from './requestParams';
import type { EmulatorState } from './state';
import type { EmulatorClient } from './types';

export type ParsedEndSessionRequest =
  /** Something cannot be trusted: answer 400 with a page, never sign out, never redirect. */
  | { kind: 'page'; message: string }
  /** Sign out, then redirect to `target` or, without one, show the signed-out page. */
  | { kind: 'valid'; target?: RedirectTarget };

/**
 * OpenID Connect RP-Initiated Logout 1.0: `id_token_hint` must be our ID token,
 * `client_id` must agree with its audience, and `post_logout_redirect_uri`
 * must exactly match one the client registered (`postLogoutRedirectUris`).
 */
export function parseEndSessionRequest(params: Params, state: EmulatorState): ParsedEndSessionRequest {
  const page = (message: string) => ({ kind: 'page' as const, message });
  const hint = textParam(params, 'id_token_hint');
  const clientId = textParam(params, 'client_id');
  const redirectUri = textParam(params, 'post_logout_redirect_uri');

  const audiences = hint === undefined ? undefined : idTokenHintAudiences(state, hint);
  if (hint !== undefined && !audiences) return page('The id_token_hint is not a valid ID token issued by this tenant.');

  let client: EmulatorClient | undefined;
  if (clientId !== undefined) {
    client = state.options.clients.find(c => c.clientId === clientId);
    if (!client) return page('Unknown client_id: this application is not registered with the tenant.');
    if (audiences && !audiences.includes(clientId)) return page('The id_token_hint was not issued to this client_id.');
  } else if (audiences) {
    client = state.options.clients.find(c => audiences.includes(c.clientId));
    if (!client) return page('The id_token_hint was issued to no application registered with the tenant.');
  }

  if (redirectUri === undefined) return { kind: 'valid' };
  if (!client) return page('A post_logout_redirect_uri needs an id_token_hint or a client_id naming the application.');
  if (!(client.postLogoutRedirectUris ?? []).includes(redirectUri)) {
    return page('The post_logout_redirect_uri is not registered for this application.');
  }
  return { kind: 'valid', target: { redirectUri, state: textParam(params, 'state') } };
}
