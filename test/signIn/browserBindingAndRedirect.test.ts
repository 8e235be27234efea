import { createHash } from 'node:crypto';
import type { Request } from 'express';
import { describe, expect, it } from 'vitest';
import { SpectroCloudRequestError } from '../../src/errors';
import { assertRedirectAllowed } from '../../src/signInService/assertRedirectAllowed';
import { BrowserBinding } from '../../src/signInService/BrowserBinding';

const SECRET = 'unit-client-secret-for-binding';
const ADAPTER_NONCE = 'adapter-nonce-abcdefghijkl';

function refusal(action: () => unknown): SpectroCloudRequestError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(SpectroCloudRequestError);
    return error as SpectroCloudRequestError;
  }
  throw new Error('expected a refusal');
}

describe('BrowserBinding', () => {
  const binding = new BrowserBinding(SECRET, 'spectrocloud');
  const callbackWith = (cookies: Record<string, string>) => ({ cookies }) as unknown as Request;

  it('derives the same nonce and verifier at the callback as at /start, from the browser cookie', () => {
    const started = binding.forStart(ADAPTER_NONCE);
    expect(binding.forCallback(callbackWith({ 'spectrocloud-nonce': ADAPTER_NONCE }))).toEqual(started);
  });

  it('gives a 43-character verifier and its S256 challenge, none equal to the cookie value', () => {
    const { nonce, codeVerifier, codeChallenge } = binding.forStart(ADAPTER_NONCE);
    expect(codeVerifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(codeChallenge).toBe(createHash('sha256').update(codeVerifier).digest('base64url'));
    expect(new Set([nonce, codeVerifier, ADAPTER_NONCE]).size).toBe(3);
  });

  it('gives other values for another cookie, another secret or another provider', () => {
    const values = binding.forStart(ADAPTER_NONCE);
    expect(binding.forStart(`${ADAPTER_NONCE}x`).codeVerifier).not.toBe(values.codeVerifier);
    expect(new BrowserBinding('another-secret-0123456789', 'spectrocloud').forStart(ADAPTER_NONCE).nonce).not.toBe(values.nonce);
    const other = new BrowserBinding(SECRET, 'spectrocloud-eu');
    expect(() => other.forCallback(callbackWith({ 'spectrocloud-nonce': ADAPTER_NONCE }))).toThrow();
  });

  it('refuses a callback without the cookie with ERR_BROWSER_BINDING', () => {
    expect(refusal(() => binding.forCallback(callbackWith({}))).code).toBe('ERR_BROWSER_BINDING');
    expect(refusal(() => binding.forCallback({} as Request)).code).toBe('ERR_BROWSER_BINDING');
  });
});

describe('assertRedirectAllowed', () => {
  const APP = 'https://backstage.example.com';
  const redirect = (redirectUrl: string | undefined) => ({ flow: 'redirect', redirectUrl });

  it.each(['https://backstage.example.com/catalog', 'https://backstage.example.com:443/x'])('allows %s', url => {
    expect(() => assertRedirectAllowed(redirect(url), APP)).not.toThrow();
  });

  it.each([
    'https://backstage.example.com.evil.net/',
    'https://backstage.example.com@evil.net/',
    'http://backstage.example.com/',
    'https://backstage.example.com:8443/',
    'https://evil.net/?https://backstage.example.com',
    'javascript:alert(1)',
    'not a url',
    undefined,
  ])('refuses %s with ERR_REDIRECT_NOT_ALLOWED (403)', url => {
    expect(refusal(() => assertRedirectAllowed(redirect(url), APP))).toMatchObject({ code: 'ERR_REDIRECT_NOT_ALLOWED', statusCode: 403 });
  });

  it('allows an extra origin only when the allow-list says so, by whole origin', () => {
    const allowed = (origin: string) => origin === 'https://portal.example.com';
    expect(() => assertRedirectAllowed(redirect('https://portal.example.com/x'), APP, allowed)).not.toThrow();
    expect(refusal(() => assertRedirectAllowed(redirect('https://portal.example.com.evil.net/'), APP, allowed)).code).toBe('ERR_REDIRECT_NOT_ALLOWED');
  });

  it('does not apply to the popup flow', () => {
    expect(() => assertRedirectAllowed({ flow: 'popup', redirectUrl: 'https://evil.net/' }, APP)).not.toThrow();
  });
});
