import { htmlPage } from './html';

/** Shown after sign-out when the application gave no post_logout_redirect_uri. */
export function renderSignedOutPage(tenantId: string): string {
  return htmlPage(`Signed out of ${tenantId}`, '<p data-signed-out>You are signed out. You can close this window.</p>');
}
