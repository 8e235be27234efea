import { describe, expect, it, vi } from 'vitest';
import { ApiFactoryRegistry, ApiResolver } from '@backstage/core-app-api';
import {
  createApiFactory,
  createApiRef,
  gitlabAuthApiRef,
  googleAuthApiRef,
  microsoftAuthApiRef,
  oktaAuthApiRef,
  oneloginAuthApiRef,
  type ApiRef,
  type OpenIdConnectApi,
} from '@backstage/core-plugin-api';
import { KubernetesAuthProviders } from '@backstage/plugin-kubernetes-react';
import { SpectroCloudIdTokenError, spectroCloudAuthApiRef } from '../../src/frontend';
import {
  createSpectroCloudKubernetesAuthProvider,
  createSpectroCloudKubernetesAuthProvidersApiFactory,
  spectroCloudKubernetesAuthProvidersApiFactory,
  withSpectroCloudKubernetesAuthProviders,
} from '../../src/frontend/kubernetes';
import { jwtWithHeader } from '../support/loopback';
import { registerSecret } from '../support/secrets';

/**
 * The package entry of @backstage/plugin-kubernetes-react also loads its UI
 * components, which need a DOM. Node gets the same real KubernetesAuthProviders
 * class and API ref, loaded from their own files; the browser test app
 * imports the package entry itself.
 */
vi.mock('@backstage/plugin-kubernetes-react', async () => {
  const { createRequire } = await import('node:module');
  const { dirname, join } = await import('node:path');
  const require = createRequire(import.meta.url);
  const dist = join(dirname(require.resolve('@backstage/plugin-kubernetes-react/package.json')), 'dist', 'kubernetes-auth-provider');
  return {
    ...(await import(join(dist, 'KubernetesAuthProviders.esm.js'))),
    ...(await import(join(dist, 'types.esm.js'))),
  };
});

const idToken = jwtWithHeader({ alg: 'RS256', kid: 'palette-1', typ: 'JWT' });
const sessionToken = jwtWithHeader({ alg: 'HS256', typ: 'JWT' }, { email: 'jane@example.com' });
registerSecret(idToken);
registerSecret(sessionToken);

function authApiReturning(token: string): OpenIdConnectApi & { calls: unknown[] } {
  const calls: unknown[] = [];
  return {
    calls,
    async getIdToken(options) {
      calls.push(options);
      return token;
    },
  };
}

const entity = { apiVersion: 'backstage.io/v1alpha1', kind: 'Component', metadata: { name: 'shop' } };

describe('createSpectroCloudKubernetesAuthProvider', () => {
  it('adds the ID token to the request body under auth.oidc.spectrocloud', async () => {
    const provider = createSpectroCloudKubernetesAuthProvider(authApiReturning(idToken));
    const body = await provider.decorateRequestBodyForAuth({ entity, auth: { google: 'other', oidc: { okta: 'x' } } });
    expect(body).toEqual({ entity, auth: { google: 'other', oidc: { okta: 'x', spectrocloud: idToken } } });
  });

  it('returns the ID token as the credentials for the Authorization header', async () => {
    const provider = createSpectroCloudKubernetesAuthProvider(authApiReturning(idToken));
    await expect(provider.getCredentials()).resolves.toEqual({ token: idToken });
  });

  it('refuses an HS256 token (the Palette session token) and does not print it', async () => {
    const provider = createSpectroCloudKubernetesAuthProvider(authApiReturning(sessionToken));
    const error = await provider.decorateRequestBodyForAuth({ entity }).catch(e => e);
    expect(error).toBeInstanceOf(SpectroCloudIdTokenError);
    expect(error).toMatchObject({ name: 'SpectroCloudIdTokenError', code: 'ERR_ID_TOKEN_ALGORITHM' });
    expect(error.message).toContain('"HS256"');
    expect(error.message).not.toContain(sessionToken);
    await expect(provider.getCredentials()).rejects.toMatchObject({ code: 'ERR_ID_TOKEN_ALGORITHM' });
  });

  it('refuses an unsigned token', async () => {
    const provider = createSpectroCloudKubernetesAuthProvider(authApiReturning(jwtWithHeader({ alg: 'none' })));
    await expect(provider.getCredentials()).rejects.toMatchObject({ code: 'ERR_ID_TOKEN_ALGORITHM' });
  });

  it('refuses something that is not a JWT', async () => {
    const provider = createSpectroCloudKubernetesAuthProvider(authApiReturning('opaque-access-token-value'));
    await expect(provider.getCredentials()).rejects.toMatchObject({ code: 'ERR_ID_TOKEN_MALFORMED' });
  });

  it('says so when the session has no ID token', async () => {
    const provider = createSpectroCloudKubernetesAuthProvider(authApiReturning(''));
    const error = await provider.getCredentials().catch(e => e);
    expect(error).toMatchObject({ code: 'ERR_ID_TOKEN_MISSING', message: 'SpectroCloud returned no ID token for this session' });
  });

  it('accepts the algorithms it is told to', async () => {
    const es256 = jwtWithHeader({ alg: 'ES256' });
    const provider = createSpectroCloudKubernetesAuthProvider(authApiReturning(es256), {
      allowedAlgorithms: ['RS256', 'ES256'],
      providerName: 'palette',
    });
    await expect(provider.decorateRequestBodyForAuth({ entity })).resolves.toEqual({ entity, auth: { oidc: { palette: es256 } } });
  });
});

describe('spectroCloudKubernetesAuthProvidersApiFactory', () => {
  const otherApis = {
    gitlabAuthApi: authApiReturning('gitlab'),
    googleAuthApi: { ...authApiReturning('google'), getAccessToken: async () => 'google-access' },
    microsoftAuthApi: { ...authApiReturning('microsoft'), getAccessToken: async () => 'ms-access' },
    oktaAuthApi: authApiReturning('okta'),
    oneloginAuthApi: authApiReturning('onelogin'),
  };
  type Deps = Parameters<typeof spectroCloudKubernetesAuthProvidersApiFactory.factory>[0];
  const build = (token: string) =>
    spectroCloudKubernetesAuthProvidersApiFactory.factory({ spectroCloudAuthApi: authApiReturning(token), ...otherApis } as unknown as Deps);

  it('provides the Kubernetes auth providers API', () => {
    expect(spectroCloudKubernetesAuthProvidersApiFactory.api.id).toBe('plugin.kubernetes-auth-providers.service');
    expect(Object.keys(spectroCloudKubernetesAuthProvidersApiFactory.deps).sort()).toEqual([
      'gitlabAuthApi',
      'googleAuthApi',
      'microsoftAuthApi',
      'oktaAuthApi',
      'oneloginAuthApi',
      'spectroCloudAuthApi',
    ]);
  });

  it('gives clusters with oidcTokenProvider spectrocloud the ID token', async () => {
    const providers = build(idToken);
    await expect(providers.decorateRequestBodyForAuth('oidc.spectrocloud', { entity })).resolves.toEqual({
      entity,
      auth: { oidc: { spectrocloud: idToken } },
    });
    await expect(providers.getCredentials('oidc.spectrocloud')).resolves.toEqual({ token: idToken });
  });

  it('refuses to hand clusters the HS256 session token', async () => {
    await expect(build(sessionToken).getCredentials('oidc.spectrocloud')).rejects.toMatchObject({
      code: 'ERR_ID_TOKEN_ALGORITHM',
    });
  });

  it('keeps the stock providers', async () => {
    const providers = build(idToken);
    await expect(providers.getCredentials('oidc.okta')).resolves.toEqual({ token: 'okta' });
    await expect(providers.getCredentials('oidc.gitlab')).resolves.toEqual({ token: 'gitlab' });
    await expect(providers.getCredentials('google')).resolves.toEqual({ token: 'google-access' });
    await expect(providers.getCredentials('serviceAccount')).resolves.toEqual({});
  });
});

describe('createSpectroCloudKubernetesAuthProvidersApiFactory', () => {
  const keycloakAuthApiRef = createApiRef<OpenIdConnectApi>({ id: 'app.auth.keycloak' });
  const spectroCloudEuAuthApiRef = createApiRef<OpenIdConnectApi>({ id: 'core.auth.spectrocloud-eu' });
  const euIdToken = jwtWithHeader({ alg: 'RS256', kid: 'palette-eu' });
  registerSecret(euIdToken);

  /** Resolves the factory the way a Backstage app does, from API refs. */
  function resolve(factory: ReturnType<typeof createSpectroCloudKubernetesAuthProvidersApiFactory>, extra: [ApiRef<OpenIdConnectApi>, OpenIdConnectApi][]) {
    const registry = new ApiFactoryRegistry();
    const stock: [ApiRef<unknown>, unknown][] = [
      [gitlabAuthApiRef, authApiReturning('gitlab')],
      [googleAuthApiRef, { ...authApiReturning('google'), getAccessToken: async () => 'google-access' }],
      [microsoftAuthApiRef, { ...authApiReturning('microsoft'), getAccessToken: async () => 'ms-access' }],
      [oktaAuthApiRef, authApiReturning('okta')],
      [oneloginAuthApiRef, authApiReturning('onelogin')],
      [spectroCloudAuthApiRef, authApiReturning(idToken)],
    ];
    for (const [ref, impl] of [...stock, ...extra]) registry.register('default', createApiFactory(ref, impl));
    registry.register('app', factory);
    return new ApiResolver(registry).get(factory.api)!;
  }

  it("adds SpectroCloud to the app's own OIDC providers instead of replacing them", async () => {
    const providers = resolve(createSpectroCloudKubernetesAuthProvidersApiFactory({ oidcProviders: { keycloak: keycloakAuthApiRef } }), [
      [keycloakAuthApiRef, authApiReturning('keycloak')],
    ]);
    await expect(providers.getCredentials('oidc.keycloak')).resolves.toEqual({ token: 'keycloak' });
    await expect(providers.decorateRequestBodyForAuth('oidc.keycloak', { entity })).resolves.toEqual({
      entity,
      auth: { oidc: { keycloak: 'keycloak' } },
    });
    await expect(providers.getCredentials('oidc.google')).resolves.toEqual({ token: 'google' });
    await expect(providers.getCredentials('oidc.microsoft')).resolves.toEqual({ token: 'microsoft' });
    await expect(providers.getCredentials('aks')).resolves.toEqual({ token: 'ms-access' });
    await expect(providers.getCredentials('oidc.spectrocloud')).resolves.toEqual({ token: idToken });
  });

  it('serves several SpectroCloud tenants, each from its own API ref', async () => {
    const providers = resolve(
      createSpectroCloudKubernetesAuthProvidersApiFactory({
        tenants: [
          { providerName: 'spectrocloud', apiRef: spectroCloudAuthApiRef },
          { providerName: 'spectrocloud-eu', apiRef: spectroCloudEuAuthApiRef },
        ],
      }),
      [[spectroCloudEuAuthApiRef, authApiReturning(euIdToken)]],
    );
    await expect(providers.getCredentials('oidc.spectrocloud')).resolves.toEqual({ token: idToken });
    await expect(providers.getCredentials('oidc.spectrocloud-eu')).resolves.toEqual({ token: euIdToken });
    await expect(providers.decorateRequestBodyForAuth('oidc.spectrocloud-eu', { entity })).resolves.toEqual({
      entity,
      auth: { oidc: { 'spectrocloud-eu': euIdToken } },
    });
  });

  it('leaves unknown providers to the stock error', async () => {
    const providers = resolve(createSpectroCloudKubernetesAuthProvidersApiFactory(), []);
    await expect(providers.getCredentials('oidc.nobody')).rejects.toThrow('KubernetesAuthProviders has no oidcProvider configured for oidc.nobody');
  });
});

describe('withSpectroCloudKubernetesAuthProviders', () => {
  it("delegates every other provider to the app's own KubernetesAuthProviders", async () => {
    const base = new KubernetesAuthProviders({
      googleAuthApi: { ...authApiReturning('google'), getAccessToken: async () => 'google-access' } as never,
      microsoftAuthApi: { ...authApiReturning('microsoft'), getAccessToken: async () => 'ms-access' } as never,
      oidcProviders: { pinniped: authApiReturning('pinniped') },
    });
    const providers = withSpectroCloudKubernetesAuthProviders(base, [{ providerName: 'spectrocloud', authApi: authApiReturning(idToken) }]);
    await expect(providers.getCredentials('oidc.pinniped')).resolves.toEqual({ token: 'pinniped' });
    await expect(providers.getCredentials('google')).resolves.toEqual({ token: 'google-access' });
    await expect(providers.getCredentials('serviceAccount')).resolves.toEqual({});
    await expect(providers.getCredentials('oidc.spectrocloud')).resolves.toEqual({ token: idToken });
  });

  it('still refuses the HS256 session token for its own provider', async () => {
    const base = new KubernetesAuthProviders({ googleAuthApi: authApiReturning('g') as never, microsoftAuthApi: authApiReturning('m') as never });
    const providers = withSpectroCloudKubernetesAuthProviders(base, [{ providerName: 'spectrocloud', authApi: authApiReturning(sessionToken) }]);
    await expect(providers.getCredentials('oidc.spectrocloud')).rejects.toMatchObject({ code: 'ERR_ID_TOKEN_ALGORITHM' });
  });
});
