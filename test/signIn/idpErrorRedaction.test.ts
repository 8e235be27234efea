import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorize, callback, CLIENT_SECRET, CookieJar, BACKEND_KINDS, startFixture, startSignIn, type Fixture } from '../support/spectroFixture';

/*
 * A rule of the security core that a one-line break used to slip past: the
 * case here fails when its rule is removed by hand.
 */
describe.each(BACKEND_KINDS)('text SpectroCloud sends back is redacted (%s backend)', kind => {
  let fixture: Fixture;
  beforeAll(async () => {
    fixture = await startFixture({ kind });
  });
  afterAll(() => fixture?.close());

  it('an error_description echoing the authorization code or a secret reaches neither the popup nor a log line', async () => {
    const jar = new CookieJar();
    const start = await startSignIn(fixture, jar);
    const code = new URL(await authorize(start.headers.location, 'alice@example.com')).searchParams.get('code')!;
    const echoed = `bad code ${code} for client secret ${CLIENT_SECRET}`;
    const state = new URL(start.headers.location).searchParams.get('state')!;
    const url = new URL(`${fixture.providerBase}/handler/frame`);
    url.search = new URLSearchParams({ error: 'invalid_request', error_description: echoed, state }).toString();
    const frame = await callback(fixture, jar, url.toString());
    expect(frame.message.error?.message).toContain('invalid_request');
    expect(frame.message.error?.message).toContain('[redacted]');
    for (const text of [frame.html, fixture.backend.logLines.join('\n')]) {
      expect(text).not.toContain(code);
      expect(text).not.toContain(CLIENT_SECRET);
    }
  });
});
