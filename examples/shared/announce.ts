import type { SpectroCloudEmulator } from '../../src/testing';

/** What both examples print once running, and how they stop on Ctrl-C. */
export function announceExample(
  title: string,
  example: { backendUrl: string; emulator?: SpectroCloudEmulator; close(): Promise<void> },
  appLines: string[],
): void {
  const lines = [
    '',
    `${title} is running.`,
    ...appLines,
    `  Backend:      ${example.backendUrl}`,
    example.emulator
      ? `  Emulator:     ${example.emulator.issuer}  (users: alice@, bob@ in the catalog; carol@ is not)`
      : '  SpectroCloud: the real tenant from SPECTROCLOUD_AUTHORIZATION_URL',
    '',
    'Try the start endpoint, it answers 302 to SpectroCloud:',
    `  curl -i '${example.backendUrl}/api/auth/spectrocloud/start?env=development'`,
    '',
    'Ctrl-C stops everything.',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  const stop = () => void example.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
