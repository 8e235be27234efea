import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import { ExpiringStore } from './expiringStore';

const COOKIE = 'spectrocloud_emulator_session';
const SESSION_LIFETIME_MS = 12 * 60 * 60 * 1000;

/**
 * The emulator's own sign-in session, a cookie on the emulator's origin, so
 * that SSO and `prompt=none` behave as they do against a real tenant.
 */
export class BrowserSessions {
  readonly #store = new ExpiringStore<string>(SESSION_LIFETIME_MS);

  constructor(private readonly cookiePath: string) {}

  start(res: Response, email: string): void {
    const id = randomBytes(24).toString('base64url');
    this.#store.set(id, email);
    res.cookie(COOKIE, id, { httpOnly: true, sameSite: 'lax', path: this.cookiePath });
  }

  /** The signed-in email, if the browser has a live session. */
  email(req: Request): string | undefined {
    const id = readCookie(req.headers.cookie, COOKIE);
    return id ? this.#store.get(id) : undefined;
  }
}

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}
