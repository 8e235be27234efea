import https from 'node:https';
import { registerSecret } from '../support/secrets';

/** The browser's trip to an HTTPS emulator's authorization endpoint, trusting the test CA; returns the callback URL. */
export function authorizeOverHttps(location: string, email: string, ca: string): Promise<string> {
  const url = new URL(location);
  url.searchParams.set('login_hint', email);
  return new Promise((resolve, reject) => {
    const request = https.get(url, { ca, timeout: 10_000 }, response => {
      response.resume();
      const callback = response.headers.location;
      if (response.statusCode !== 302 || !callback) return reject(new Error(`authorization answered ${response.statusCode}`));
      registerSecret(new URL(callback).searchParams.get('code'));
      resolve(callback);
    });
    request.once('timeout', () => request.destroy(new Error('authorization timed out')));
    request.once('error', reject);
  });
}
