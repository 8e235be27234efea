import { registerSecret } from './secrets';

/**
 * Cookies of one backend host as a browser keeps them: name -> value,
 * updated from Set-Cookie. Shared by the tests and the bench. Every value is
 * registered with the log guard (cookies carry sealed sessions and tokens).
 */
export class CookieJar {
  readonly values = new Map<string, string>();

  copy(): CookieJar {
    const copy = new CookieJar();
    for (const [name, value] of this.values) copy.values.set(name, value);
    return copy;
  }

  /** From Set-Cookie header values (supertest's `headers['set-cookie']`, or fetch's `getSetCookie()`). */
  update(setCookie: string[] | string | undefined): void {
    for (const header of ([] as string[]).concat(setCookie ?? [])) {
      const [pair, ...attributes] = header.split(';');
      const [name, ...rest] = pair.split('=');
      const value = decodeURIComponent(rest.join('=').trim());
      const expired = attributes.some(a => /max-age=0\b/i.test(a.trim()) || /expires=Thu, 01 Jan 1970/i.test(a.trim()));
      if (expired || value === '') this.values.delete(name.trim());
      else this.values.set(name.trim(), value);
      registerSecret(value);
    }
  }

  /** From a fetch Response. */
  updateFrom(response: Response): void {
    this.update(response.headers.getSetCookie());
  }

  header(): string {
    return [...this.values].map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join('; ');
  }
}
