import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SpectroCloudEmulator } from '../../src/testing';
import { authorize, startEmulator } from '../support/emulatorHelpers';

describe('login page', () => {
  let emu: SpectroCloudEmulator;
  beforeAll(async () => {
    emu = await startEmulator({ autoApprove: false });
    emu.addUser({
      email: 'mallory@example.com',
      given_name: '<script>alert("x")</script>',
      family_name: "O'Hare & co",
      groups: ['<img src=x onerror=alert(1)>'],
    });
  });
  afterAll(() => emu.close());

  it('lists every user with a "Sign in as" button carrying data-email', async () => {
    const { text } = await authorize(emu);
    expect(text).toMatch(/<button type="submit" data-email="alice@example.com">Sign in as Alice Example<\/button>/);
    expect(text).toMatch(/<button type="submit" data-email="bob@example.com">Sign in as Bob Builder<\/button>/);
  });

  it('shows each user email and groups', async () => {
    const { text } = await authorize(emu);
    expect(text).toContain('alice@example.com - groups: platform-team, developers');
    expect(text).toContain('bob@example.com - groups: developers');
  });

  it('posts one form per user', async () => {
    const { text } = await authorize(emu);
    expect(text.match(/<form method="post"/g)).toHaveLength(3 + 1); // three users plus Deny
  });

  it('has a Deny button', async () => {
    const { text } = await authorize(emu);
    expect(text).toContain('data-action="deny">Deny</button>');
  });

  it('escapes HTML in user names and groups', async () => {
    const { text } = await authorize(emu);
    expect(text).not.toContain('<script>alert');
    expect(text).not.toContain('<img src=x');
    expect(text).toContain('Sign in as &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; O&#39;Hare &amp; co');
    expect(text).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('is not cacheable', async () => {
    const res = await authorize(emu);
    expect(res.headers['cache-control']).toBe('no-store');
  });
});
