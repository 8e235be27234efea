import { fileURLToPath } from 'node:url';
import type { JsonObject } from '@backstage/types';
import { type OwnedProcess, spawnOwned } from './ownedProcess';

const MAIN = fileURLToPath(new URL('./legacyBackendMain.ts', import.meta.url));
const READY_WITHIN_MS = 60_000;

export interface LegacyBackendProcess {
  /** http://127.0.0.1:PORT */
  url: string;
  /** the process's recent output: its log lines (JSON, one per line) */
  output(): string;
  close(): Promise<void>;
}

/**
 * A legacy backend with our provider in a separate Node process (see
 * legacyBackendMain.ts), owned by the test process: a replica that shares
 * nothing with the others but what the operator configures (the token store).
 * Its output goes through the secret-leak capture of this test file.
 */
export interface LegacyBackendProcessOptions {
  port: number;
  providers: JsonObject;
  /** [name, email] of the catalog's users; default the fixture's CATALOG */
  users?: Array<[string, string]>;
  /** one session-token cache for the provider and a plugin at /api/spectrocloud/whoami (see legacyBackendMain.ts) */
  tokenPlugin?: boolean;
  /** 'dist': load the built CommonJS entries with require, as a legacy backend does (build first) */
  build?: 'source' | 'dist';
  /** 'new': the new backend system with our module, in the same kind of process (default 'legacy') */
  kind?: 'legacy' | 'new';
}

export async function startLegacyBackendProcess(options: LegacyBackendProcessOptions): Promise<LegacyBackendProcess> {
  const quiet = (globalThis as { __spectroQuietLog?: (line: string) => void }).__spectroQuietLog;
  let ready!: (url: string) => void;
  const readyUrl = new Promise<string>(resolve => (ready = resolve));
  let seen = '';
  const program: OwnedProcess = await spawnOwned(
    'env',
    ['TEST_LOGS=1', process.execPath, '--import', 'tsx', MAIN, JSON.stringify(options)],
    {
      onOutput: chunk => {
        quiet?.(chunk);
        seen += chunk;
        const match = /READY (\S+)/.exec(seen);
        if (match) ready(match[1]);
      },
    },
  );
  let timer: ReturnType<typeof setTimeout> | undefined;
  const url = await Promise.race([
    readyUrl,
    program.exited.then(code => Promise.reject(new Error(`legacy backend process exited (${code}): ${program.output().slice(-2000)}`))),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`legacy backend process not ready within ${READY_WITHIN_MS} ms`)), READY_WITHIN_MS);
    }),
  ]).finally(() => clearTimeout(timer));
  return { url, output: () => program.output(), close: () => program.kill() };
}
