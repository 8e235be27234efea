import { escapeHtml, htmlPage } from './html';

export interface ConsentPageInput {
  clientId: string;
  userName: string;
  scope: string;
  /** Where the Allow and Deny forms post. */
  action: string;
}

/** Shown after login when the client asked for `prompt=consent`. */
export function renderConsentPage(input: ConsentPageInput): string {
  const action = escapeHtml(input.action);
  const scopes = input.scope.split(' ').filter(Boolean).map(s => `<li><code>${escapeHtml(s)}</code></li>`);
  return htmlPage(
    'Allow access?',
    `<p>Application <code>${escapeHtml(input.clientId)}</code> wants to access your account, ${escapeHtml(input.userName)}:</p>
<ul>
${scopes.join('\n')}
</ul>
<form method="post" action="${action}">
<button type="submit" name="action" value="allow" data-action="allow">Allow</button>
<button type="submit" name="action" value="deny" data-action="deny">Deny</button>
</form>`,
  );
}
