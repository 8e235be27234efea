import { escapeHtml, htmlPage } from './html';
import type { DirectoryUser } from './users';

export interface LoginPageInput {
  tenantId: string;
  clientId: string;
  /** Where the forms post: the interaction's login URL. */
  action: string;
  users: DirectoryUser[];
  /** A known user named by `login_hint`: listed first, marked and focused. */
  hintedEmail?: string;
}

/**
 * One form per user, so a browser test clicks `button[data-email="..."]` and a
 * person picks an account; plus a Deny button for the access_denied path.
 * The user named by `login_hint` comes first with `data-hinted` and `autofocus`,
 * so pressing Enter signs them in.
 */
export function renderLoginPage(input: LoginPageInput): string {
  const action = escapeHtml(input.action);
  const isHinted = (user: DirectoryUser) => user.email === input.hintedEmail;
  const ordered = [...input.users.filter(isHinted), ...input.users.filter(u => !isHinted(u))];
  const rows = ordered.map(user => {
    const email = escapeHtml(user.email);
    const groups = user.groups.length ? user.groups.map(escapeHtml).join(', ') : 'none';
    const hint = isHinted(user) ? ' data-hinted="true" autofocus' : '';
    return `<li>
<form method="post" action="${action}">
<input type="hidden" name="email" value="${email}">
<button type="submit" data-email="${email}"${hint}>Sign in as ${escapeHtml(user.name)}</button>
<div class="meta">${email} - groups: ${groups}</div>
</form>
</li>`;
  });
  const list = rows.length ? `<ul>\n${rows.join('\n')}\n</ul>` : '<p>This tenant has no users.</p>';
  return htmlPage(
    `Sign in to ${input.tenantId}`,
    `<p>Application <code>${escapeHtml(input.clientId)}</code> asks you to sign in.</p>
${list}
<form method="post" action="${action}">
<input type="hidden" name="action" value="deny">
<button type="submit" data-action="deny">Deny</button>
</form>`,
  );
}
