/**
 * The new frontend system's test page: a real app of `@backstage/plugin-app`
 * (its AppRoot renders `app/root`'s elements), built by frontend-test-utils'
 * `renderTestApp` (a memory router, no sign-in page) with the app's one line,
 * `createApp({ features: [..., spectroCloudSessionEndWarningModule] })`, here
 * with the lead time from `?sessionEnd=<seconds>`. The page at `/` holds an
 * input and hands the auth API to the test as `window.spectroNew`.
 */
import { createElement, useEffect, useState } from 'react';
import { renderTestApp } from '@backstage/frontend-test-utils';
import { coreExtensionData, createExtension, useApi } from '@backstage/frontend-plugin-api';
import spectroCloudAuthPlugin, { createSpectroCloudSessionEndWarningModule } from '../../../src/alpha';
import { spectroCloudAuthApiRef, type SpectroCloudAuthApi } from '../../../src/frontend';

declare global {
  interface Window {
    __SPECTRO_TEST_CONFIG__?: { backendBaseUrl?: string; environment?: string };
    spectroNew?: { api: SpectroCloudAuthApi; ready: true };
  }
}

const query = new URLSearchParams(window.location.search);
const backendBaseUrl = window.__SPECTRO_TEST_CONFIG__?.backendBaseUrl ?? 'http://localhost:7007';

function NotesPage() {
  const api = useApi(spectroCloudAuthApiRef);
  const [notes, setNotes] = useState('');
  useEffect(() => {
    window.spectroNew = { api, ready: true };
  }, [api]);
  return createElement(
    'main',
    null,
    createElement('h1', null, 'New frontend system'),
    createElement('label', { htmlFor: 'notes' }, 'Unsaved notes'),
    createElement('textarea', { id: 'notes', value: notes, onChange: (event: { target: EventTarget }) => setNotes((event.target as HTMLTextAreaElement).value) }),
  );
}

const notesPage = createExtension({
  kind: 'test-page',
  name: 'notes',
  attachTo: { id: 'app/routes', input: 'routes' },
  output: [coreExtensionData.reactElement, coreExtensionData.routePath],
  factory: () => [coreExtensionData.reactElement(createElement(NotesPage)), coreExtensionData.routePath('/')],
});

renderTestApp({
  config: { app: { baseUrl: window.location.origin }, backend: { baseUrl: backendBaseUrl }, auth: { environment: 'development' } },
  extensions: [notesPage],
  features: [spectroCloudAuthPlugin, createSpectroCloudSessionEndWarningModule({ leadTimeSeconds: Number(query.get('sessionEnd') ?? 300) })],
});
