// The browser side of a sign-in, with plain fetch: start -> IdP authorize ->
// handler/frame, one cookie jar per virtual user.
import type { ProviderName } from './backend';
import { CookieJar } from '../test/support/cookieJar';

export { CookieJar };

export type Authorize = (location: string, email: string) => Promise<string>;

/** The SpectroCloud emulator with autoApprove: login_hint approves that user at once. */
export const emulatorAuthorize: Authorize = async (location, email) => {
  const url = new URL(location);
  url.searchParams.set('login_hint', email);
  const response = await fetch(url, { redirect: 'manual' });
  await response.arrayBuffer();
  const callback = response.headers.get('location');
  if (response.status !== 302 || !callback) throw new Error(`authorization endpoint answered ${response.status}`);
  return callback;
};

export interface SignInResult {
  jar: CookieJar;
  message: { type: string; response?: { backstageIdentity?: { token?: string }; providerInfo?: { idToken?: string } }; error?: { name: string; message: string } };
}

/** One whole sign-in; throws unless the frame page carries a Backstage identity. */
export async function signIn(authUrl: string, provider: ProviderName, email: string, authorize: Authorize, jar = new CookieJar()): Promise<SignInResult> {
  const start = await fetch(`${authUrl}/${provider}/start?env=development`, { redirect: 'manual', headers: { cookie: jar.header() } });
  jar.updateFrom(start);
  await start.arrayBuffer();
  const location = start.headers.get('location');
  if (start.status !== 302 || !location) throw new Error(`${provider} /start answered ${start.status}`);
  const callbackUrl = await authorize(location, email);
  const frame = await fetch(callbackUrl, { redirect: 'manual', headers: { cookie: jar.header() } });
  jar.updateFrom(frame);
  const html = await frame.text();
  const match = /var authResponse = decodeURIComponent\('([^']*)'\)/.exec(html);
  if (!match) throw new Error(`${provider} handler/frame answered ${frame.status} without an authorization response`);
  const message = JSON.parse(decodeURIComponent(match[1])) as SignInResult['message'];
  if (message.error || !message.response?.backstageIdentity?.token) {
    throw new Error(`${provider} sign-in failed: ${message.error?.name}: ${message.error?.message}`);
  }
  return { jar, message };
}

/** GET /refresh as the app does it; returns the status and body. */
export async function refresh(authUrl: string, provider: ProviderName, jar: CookieJar): Promise<{ status: number; body: any }> {
  const response = await fetch(`${authUrl}/${provider}/refresh?env=development`, {
    headers: { cookie: jar.header(), 'x-requested-with': 'XMLHttpRequest' },
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body };
}
