import type { Response } from 'express';
import { escapeHtml, htmlPage } from './html';

/** For errors that must not redirect: the redirect_uri is not (yet) trusted. */
export function sendErrorPage(res: Response, status: number, message: string): void {
  res.status(status).type('html').send(htmlPage('Sign-in error', `<p role="alert" data-error>${escapeHtml(message)}</p>`));
}
