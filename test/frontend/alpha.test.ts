// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { createElement, useEffect, useState, type ComponentType } from 'react';
import { cleanup, configure, screen } from '@testing-library/react';
import { createFrontendPlugin } from '@backstage/frontend-plugin-api';
import { createExtensionTester, renderInTestApp } from '@backstage/frontend-test-utils';
import { createApiFactory, useApi, type OpenIdConnectApi, type SignInPageProps } from '@backstage/core-plugin-api';
import { kubernetesAuthProvidersApiRef } from '@backstage/plugin-kubernetes-react';
import {
  SpectroCloudAuth,
  spectroCloudAuthApiRef,
  spectroCloudSignInProvider,
  type SpectroCloudAuthApi,
} from '../../src/frontend';
import spectroCloudAuthPluginDefault, {
  createSpectroCloudSignInPageModule,
  spectroCloudAuthPlugin,
  spectroCloudSignInPageModule,
} from '../../src/alpha';
import kubernetesPlugin from '@backstage/plugin-kubernetes/alpha';
import { spectroCloudKubernetesAuthProvidersModule } from '../../src/alpha/kubernetes';
import { apiExtension } from '../../src/alpha/apiExtension';
import { signInPageComponent, signInPageExtension, type SpectroCloudSignInPageOptions } from '../../src/alpha/signInPage';
import { jwtWithHeader } from '../support/loopback';
import { registerSecret } from '../support/secrets';

// The sign-in page is lazy-loaded: on a loaded machine (CI's compat lines side by side) it takes more than findBy*'s 1 s.
configure({ asyncUtilTimeout: 10_000 });

// The same file runs on the oldest supported @backstage/frontend-plugin-api line
// (scripts/frontend-compat.sh) and on the newest (the package's devDependencies).
const config = {
  app: { title: 'Test app', baseUrl: 'http://localhost:3000' },
  backend: { baseUrl: 'http://localhost:7007' },
  auth: { environment: 'development' },
};

afterEach(cleanup);

/** Renders what `use` returns for the API behind `ref`, or the error it throws. */
function probe<T>(read: () => Promise<string> | string) {
  return function Probe() {
    const [text, setText] = useState('pending');
    useEffect(() => {
      Promise.resolve()
        .then(read)
        .then(setText, (error: Error) => setText(`${error.name}: ${error.message}`));
    }, []);
    return createElement('output', null, text);
  };
}

function ApiProbe() {
  let text: string;
  try {
    const api = useApi(spectroCloudAuthApiRef);
    text = api instanceof SpectroCloudAuth ? 'SpectroCloudAuth resolved' : 'another implementation';
  } catch (error) {
    text = `${(error as Error).name}`;
  }
  return createElement('output', null, text);
}

describe('alpha: the auth API', () => {
  it('resolves spectroCloudAuthApiRef to the SpectroCloud client in an app with the plugin', async () => {
    expect(spectroCloudAuthPluginDefault).toBe(spectroCloudAuthPlugin);
    renderInTestApp(createElement(ApiProbe), { config, features: [spectroCloudAuthPlugin] });
    expect(await screen.findByText('SpectroCloudAuth resolved')).toBeTruthy();
  });

  it('is not implemented in an app without it', async () => {
    renderInTestApp(createElement(ApiProbe), { config });
    expect(await screen.findByText('NotImplementedError')).toBeTruthy();
  });
});

describe('alpha: the sign-in page module', () => {
  /** The page the module outputs, rendered in a test app that has the SpectroCloud API. */
  function renderSignInPage(options: SpectroCloudSignInPageOptions) {
    const tester = createExtensionTester(signInPageExtension(options)) as unknown as { get(ref: typeof signInPageComponent): ComponentType<SignInPageProps> };
    const SignInPage = tester.get(signInPageComponent);
    renderInTestApp(createElement(SignInPage, { onSignInSuccess: () => {} }), { config, features: [spectroCloudAuthPlugin] });
  }

  it('lists SpectroCloud', async () => {
    renderSignInPage({ auto: false });
    expect(await screen.findByText('Sign in using SpectroCloud')).toBeTruthy();
    expect(screen.queryByText('Guest')).toBeNull();
  });

  it('lists guest access beside SpectroCloud when asked to', async () => {
    renderSignInPage({ providers: ['guest', spectroCloudSignInProvider], auto: false });
    expect(await screen.findByText('Sign in using SpectroCloud')).toBeTruthy();
    expect(await screen.findByText('Guest')).toBeTruthy();
  });

  it('is a module of the app plugin, replacing its sign-in page', () => {
    expect(spectroCloudSignInPageModule).toMatchObject({ pluginId: 'app' });
    expect(createSpectroCloudSignInPageModule()).toMatchObject({ pluginId: 'app' });
    expect(signInPageExtension()).toMatchObject({ kind: 'sign-in-page', attachTo: { id: 'app/root', input: 'signInPage' } });
  });
});

describe('alpha: the Kubernetes auth providers module', () => {
  const idToken = jwtWithHeader({ alg: 'RS256', kid: 'palette-1', typ: 'JWT' });
  const sessionToken = jwtWithHeader({ alg: 'HS256', typ: 'JWT' });
  registerSecret(idToken);
  registerSecret(sessionToken);

  /** The SpectroCloud API of a signed-in user whose session holds `token`. */
  const signedIn = (token: string) =>
    createFrontendPlugin({
      pluginId: 'signed-in-user',
      extensions: [
        apiExtension(
          createApiFactory(spectroCloudAuthApiRef, { getIdToken: async () => token } as OpenIdConnectApi as SpectroCloudAuthApi),
        ),
      ],
    });

  function KubernetesProbe({ provider }: { provider: string }) {
    const providers = useApi(kubernetesAuthProvidersApiRef);
    return createElement(
      probe(async () => {
        const { token } = await providers.getCredentials(provider);
        return token === idToken ? 'the ID token' : `token: ${token === undefined ? 'none' : 'another one'}`;
      }),
    );
  }

  it('hands clusters with oidcTokenProvider spectrocloud the ID token', async () => {
    renderInTestApp(createElement(KubernetesProbe, { provider: 'oidc.spectrocloud' }), {
      config,
      features: [kubernetesPlugin, signedIn(idToken), spectroCloudKubernetesAuthProvidersModule],
    });
    expect(await screen.findByText('the ID token')).toBeTruthy();
  });

  it('is what adds spectrocloud: the Kubernetes plugin alone has no such provider', async () => {
    renderInTestApp(createElement(KubernetesProbe, { provider: 'oidc.spectrocloud' }), {
      config,
      features: [kubernetesPlugin, signedIn(idToken)],
    });
    expect(await screen.findByText(/^Error: .*oidc\.spectrocloud/)).toBeTruthy();
  });

  it('keeps the stock providers', async () => {
    renderInTestApp(createElement(KubernetesProbe, { provider: 'serviceAccount' }), {
      config,
      features: [kubernetesPlugin, signedIn(idToken), spectroCloudKubernetesAuthProvidersModule],
    });
    expect(await screen.findByText('token: none')).toBeTruthy();
  });

  it('refuses to hand out the HS256 session token', async () => {
    renderInTestApp(createElement(KubernetesProbe, { provider: 'oidc.spectrocloud' }), {
      config,
      features: [kubernetesPlugin, signedIn(sessionToken), spectroCloudKubernetesAuthProvidersModule],
    });
    expect(await screen.findByText(/^SpectroCloudIdTokenError: refusing a SpectroCloud token signed with "HS256"/)).toBeTruthy();
  });
});
