import type { Response } from 'express';
import { escapeHtml, htmlPage } from './html';

/** For errors that must not redirect: the redirect_uri (or post-logout URI) is not trusted. */
export function sendErrorPage(res: Response, status: number, message: string, title = 'Sign-in error'): void {
  res.status(status).type('html').send(htmlPage(title, `<p role="alert" data-error>${escapeHtml(message)}</p>`));
}
