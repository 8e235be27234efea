import type { SessionEndNotice } from './SessionEndWatch';

/** The words of the warning and the final notice, the same whatever draws them. */
export function sessionEndText(notice: Exclude<SessionEndNotice, { kind: 'none' }>): { message: string; renew: string } {
  return notice.kind === 'warning'
    ? { message: `Your SpectroCloud session ends at ${timeOf(notice.endsAt)}. Renew it now to keep working without losing this page.`, renew: 'Renew now' }
    : { message: 'Your SpectroCloud session ended: sign in again.', renew: 'Sign in again' };
}

function timeOf(epochMs: number): string {
  return new Date(epochMs).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}
