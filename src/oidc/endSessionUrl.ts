/**
 * SpectroCloud's end-session URL for one signed-in session (OIDC
 * RP-Initiated Logout 1.0): the ID token as `id_token_hint` so SpectroCloud
 * knows whose session to end, and the app as `post_logout_redirect_uri`
 * (it must be registered with the OAuth client). The frontend navigates there
 * after Backstage's own sign-out.
 */
export function endSessionUrl(endpoint: string, options: { idToken: string; clientId: string; postLogoutRedirectUri: string }): string {
  const url = new URL(endpoint);
  url.searchParams.set('id_token_hint', options.idToken);
  url.searchParams.set('post_logout_redirect_uri', options.postLogoutRedirectUri);
  url.searchParams.set('client_id', options.clientId);
  return url.toString();
}
