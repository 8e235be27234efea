import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import { ExpiringStore } from './expiringStore';

const COOKIE = 'spectrocloud_emulator_session';
const SESSION_LIFETIME_MS = 12 * 60 * 60 * 1000;

/** Who is signed in at the emulator, and since when. */
export interface BrowserSession {
  email: string;
  /** When the user last authenticated, in seconds since the epoch: the ID token's `auth_time`. */
  authTime: number;
}

export interface BrowserSessionOptions {
  cookiePath: string;
  /** Over HTTPS the cookie is `Secure`, as a real tenant's is. */
  secure: boolean;
  clock: () => number;
}

/**
 * The emulator's own sign-in session, a cookie on the emulator's origin, so
 * that SSO, `prompt=none`, `max_age` and sign-out behave as they do against a
 * real tenant.
 */
export class BrowserSessions {
  readonly #store: ExpiringStore<BrowserSession>;

  constructor(private readonly options: BrowserSessionOptions) {
    this.#store = new ExpiringStore(SESSION_LIFETIME_MS, options.clock);
  }

  /** A fresh authentication: a new session id, so a fixed one can never be reused. */
  start(res: Response, email: string): BrowserSession {
    const id = randomBytes(24).toString('base64url');
    const session = { email, authTime: Math.floor(this.options.clock() / 1000) };
    this.#store.set(id, session);
    res.cookie(COOKIE, id, { httpOnly: true, sameSite: 'lax', secure: this.options.secure, path: this.options.cookiePath });
    return session;
  }

  /** The browser's live session, if it has one. */
  current(req: Request): BrowserSession | undefined {
    const id = readCookie(req.headers.cookie, COOKIE);
    return id ? this.#store.get(id) : undefined;
  }

  /** Forgets the session server-side (a replayed cookie is worthless) and clears the cookie. */
  end(req: Request, res: Response): void {
    const id = readCookie(req.headers.cookie, COOKIE);
    if (id) this.#store.delete(id);
    res.clearCookie(COOKIE, { httpOnly: true, sameSite: 'lax', secure: this.options.secure, path: this.options.cookiePath });
  }
}

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}
