import type { Entity } from '@backstage/catalog-model';
import type { JsonObject } from '@backstage/types';
import { spectrocloud } from '../../src';
import { startLegacyBackend } from '../support/legacyBackend';
import { startNewBackend } from '../support/newBackend';

/** What a conformance test needs of a Backstage backend running our provider. */
export interface ConformanceBackendOptions {
  /** `auth.providers`, given the backend's URL (the test OP registers the callback URL) */
  providers: (backendUrl: string) => Promise<JsonObject>;
  users: Entity[];
}

export interface StartedBackend {
  /** the auth backend's base URL, `http://127.0.0.1:PORT/api/auth`; the provider is at `<authUrl>/spectrocloud` */
  authUrl: string;
  /** the backend's log lines, so a test can read the failure code the popup does not show */
  logLines: string[];
  close(): Promise<void>;
}

export interface ConformanceBackend {
  name: string;
  start(options: ConformanceBackendOptions): Promise<StartedBackend>;
}

/** Backstage's legacy auth backend: `createRouter` of @backstage/plugin-auth-backend with our factory. */
const legacyRouter: ConformanceBackend = {
  name: 'legacy router',
  async start({ providers, users }) {
    const backend = await startLegacyBackend({ providerFactories: { spectrocloud: spectrocloud.create() }, providers, users });
    return { authUrl: backend.authUrl, logLines: backend.logLines, close: () => backend.close() };
  },
};

/** The new backend system: `createBackend()` with the current auth plugin and our module. */
const newSystemModule: ConformanceBackend = {
  name: 'new backend system',
  async start({ providers, users }) {
    const backend = await startNewBackend({ providers, users });
    return { authUrl: backend.authUrl, logLines: backend.logLines, close: () => backend.close() };
  },
};

/** Every backend the suite runs against. */
export const BACKENDS: ConformanceBackend[] = [legacyRouter, newSystemModule];
