import { describe, expect, it } from 'vitest';
import { checkAuthorizationResponseIssuer } from '../../src/oidc/checkAuthorizationResponseIssuer';

/* RFC 9207 on the callback's query: exact comparison, and required when discovery promises it. */
const ISSUER = 'https://console.example.com/v1/oidc/tenant/a';

function refusal(query: Record<string, unknown>, required = false) {
  try {
    checkAuthorizationResponseIssuer(query, { issuer: ISSUER, authorizationResponseIssRequired: required });
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error('the authorization response was accepted');
}

describe('RFC 9207: iss of the authorization response', () => {
  it('accepts the issuer the sign-in was sent to, and no iss when discovery does not promise one (control)', () => {
    expect(() => checkAuthorizationResponseIssuer({ code: 'c', iss: ISSUER }, { issuer: ISSUER, authorizationResponseIssRequired: true })).not.toThrow();
    expect(() => checkAuthorizationResponseIssuer({ code: 'c' }, { issuer: ISSUER })).not.toThrow();
  });

  it.each([
    ['another tenant', 'https://console.example.com/v1/oidc/tenant/b'],
    ['a trailing slash (simple string comparison, section 2.4)', `${ISSUER}/`],
    ['a different case', ISSUER.toUpperCase()],
    ['a repeated parameter', [ISSUER, ISSUER]],
  ])('refuses an iss naming %s with ERR_AUTHORIZATION_RESPONSE_ISSUER', (_what, iss) => {
    expect(refusal({ code: 'c', iss }).code).toBe('ERR_AUTHORIZATION_RESPONSE_ISSUER');
  });

  it('refuses a mismatched iss on an error response too', () => {
    expect(refusal({ error: 'access_denied', iss: 'https://evil.example.com' }).code).toBe('ERR_AUTHORIZATION_RESPONSE_ISSUER');
  });

  it('refuses a missing iss when discovery says authorization_response_iss_parameter_supported', () => {
    const error = refusal({ code: 'c' }, true);
    expect(error.code).toBe('ERR_AUTHORIZATION_RESPONSE_ISSUER');
    expect(error.message).toContain('promises one');
  });
});
