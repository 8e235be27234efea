import { describe, expect, it } from 'vitest';
import { ConfigReader } from '@backstage/config';
import { SpectroCloudConfigError } from '../../src/errors';
import { readEnvironmentConfig } from '../../src/config/readEnvironmentConfig';
import { deriveEndpoints } from '../../src/oidc/deriveEndpoints';
import { startFixture } from '../support/spectroFixture';

const path = 'auth.providers.spectrocloud.development';
const base = {
  clientId: 'id',
  clientSecret: 'secret',
  authorizationUrl: 'https://console.spectrocloud.com/v1/oidc/tenant/abc/auth',
};
const read = (data: Record<string, any>) =>
  readEnvironmentConfig(new ConfigReader(data), { path, authBaseUrl: 'http://localhost:7007/api/auth', providerId: 'spectrocloud' });

describe('environment config', () => {
  it('applies the documented defaults', () => {
    expect(read(base)).toMatchObject({
      callbackUrl: 'http://localhost:7007/api/auth/spectrocloud/handler/frame',
      scope: 'openid profile email',
      prompt: undefined,
      clockTolerance: 30,
      timeout: 10_000,
      tokenEndpointAuthMethod: 'client_secret_post',
      algorithms: ['RS256'],
    });
  });

  it('names the full path of a missing key and what to write', () => {
    expect(() => read({ ...base, clientId: undefined })).toThrow(
      `Missing required config value '${path}.clientId'. Set it, for example: clientId: \${SPECTROCLOUD_CLIENT_ID}`,
    );
  });

  it('names an unknown key and suggests the right spelling', () => {
    expect(() => read({ ...base, clientID: 'x' })).toThrow(`Unknown config key '${path}.clientID'. Did you mean 'clientId'?`);
  });

  it('refuses a malformed URL', () => {
    expect(() => read({ ...base, authorizationUrl: 'console.spectrocloud.com/auth' })).toThrow(`Invalid URL in '${path}.authorizationUrl'`);
  });

  it('refuses plain http except on loopback', () => {
    expect(() => read({ ...base, authorizationUrl: 'http://console.spectrocloud.com/v1/oidc/tenant/abc/auth' })).toThrow('must use https');
    expect(read({ ...base, authorizationUrl: 'http://127.0.0.1:7010/v1/oidc/tenant/abc/auth' }).authorizationUrl).toContain('127.0.0.1');
  });

  it('refuses an unknown prompt and lists the valid ones', () => {
    expect(() => read({ ...base, prompt: 'always' })).toThrow('Use one of: login, none, consent, select_account');
  });

  it('refuses an unknown token endpoint auth method', () => {
    expect(() => read({ ...base, tokenEndpointAuthMethod: 'private_key_jwt' })).toThrow('client_secret_post, client_secret_basic');
  });

  it('refuses symmetric and none algorithms', () => {
    expect(() => read({ ...base, algorithms: ['HS256'] })).toThrow('Only asymmetric algorithms');
    expect(() => read({ ...base, algorithms: ['none'] })).toThrow('Only asymmetric algorithms');
  });

  it('refuses a scope without openid', () => {
    expect(() => read({ ...base, scope: 'profile email' })).toThrow(`'${path}.scope' must include 'openid'`);
  });

  it('adds additionalScopes to the scope', () => {
    expect(read({ ...base, additionalScopes: ['groups'] }).scope).toBe('openid profile email groups');
    expect(read({ ...base, additionalScopes: 'groups offline_access' }).scope).toBe('openid profile email groups offline_access');
  });

  it('refuses a negative or absurd timeout', () => {
    expect(() => read({ ...base, timeout: -1 })).toThrow(`Invalid '${path}.timeout' value -1`);
    expect(() => read({ ...base, clockTolerance: 'soon' })).toThrow(`Invalid type for '${path}.clockTolerance'`);
  });

  it('throws SpectroCloudConfigError with code ERR_CONFIG', () => {
    try {
      read({});
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(SpectroCloudConfigError);
      expect((error as SpectroCloudConfigError).code).toBe('ERR_CONFIG');
    }
  });
});

describe('endpoint derivation', () => {
  it('replaces the final auth segment of a tenant URL', () => {
    expect(deriveEndpoints('https://console.spectrocloud.com/v1/oidc/tenant/abc/auth')).toEqual({
      issuer: 'https://console.spectrocloud.com/v1/oidc/tenant/abc',
      tokenUrl: 'https://console.spectrocloud.com/v1/oidc/tenant/abc/token',
      jwksUrl: 'https://console.spectrocloud.com/v1/oidc/tenant/abc/keys',
      metadataUrl: 'https://console.spectrocloud.com/v1/oidc/tenant/abc/.well-known/openid-configuration',
    });
  });

  it('keeps /auth that appears earlier in the path', () => {
    expect(deriveEndpoints('https://idp.example.com/v1/auth/org/x/oidc/authorize').tokenUrl).toBe(
      'https://idp.example.com/v1/auth/org/x/oidc/token',
    );
    expect(deriveEndpoints('https://auth.example.com/auth/tenant/auth').tokenUrl).toBe('https://auth.example.com/auth/tenant/token');
  });

  it('ignores a trailing slash and query', () => {
    expect(deriveEndpoints('https://console.spectrocloud.com/v1/oidc/tenant/abc/auth/?x=1').jwksUrl).toBe(
      'https://console.spectrocloud.com/v1/oidc/tenant/abc/keys',
    );
  });
});

describe('provider startup through the legacy router', () => {
  it('fails router creation naming a wrong key', async () => {
    await expect(
      startFixture({ environment: { callbackURL: 'http://127.0.0.1/x' } }),
    ).rejects.toThrow(/Unknown config key 'auth.providers.spectrocloud.development.callbackURL'. Did you mean 'callbackUrl'\?/);
  });

  it('fails router creation naming an unknown resolver and the valid ones', async () => {
    await expect(
      startFixture({ environment: { signIn: { resolvers: [{ resolver: 'emailMatchingEverything' }] } } }),
    ).rejects.toThrow(
      "Unknown sign-in resolver 'emailMatchingEverything' at 'auth.providers.spectrocloud.development.signIn.resolvers[0].resolver'. Valid resolvers: emailMatchingUserEntityProfileEmail, emailLocalPartMatchingUserEntityName, emailMatchingUserEntityAnnotation.",
    );
  });

  it('fails when there is no environment block', async () => {
    await expect(startFixture({ providerConfig: () => ({ tokenStore: { type: 'memory' } }) })).rejects.toThrow(
      "'auth.providers.spectrocloud' has no environment block",
    );
  });

  it('does not mistake tokenStore for an environment', async () => {
    const fixture = await startFixture({
      providerConfig: emulator => ({
        tokenStore: { type: 'memory' },
        development: { clientId: 'backstage-test-client', clientSecret: 'test-client-secret-7f3a9c2e5b1d', authorizationUrl: emulator.authorizationUrl },
      }),
    });
    await fixture.close();
  });
});
