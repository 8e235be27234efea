#!/usr/bin/env node
/**
 * Runs the SpectroCloud Palette emulator from the command line:
 *   yarn spectrocloud-emulator --client-id backstage --client-secret ... \
 *     --redirect-uri http://localhost:7007/api/auth/spectrocloud/handler/frame [--users users.yaml]
 * (in this repository: node --import tsx src/testing/cli.ts ...). Without --users it serves the example users.
 * Prints where it listens; never the client secret, codes or tokens.
 */
import { parseCliArgs, USAGE } from './cliArgs';
import { startSpectroCloudEmulator } from './emulator/startEmulator';

/** This program's own output (not a log): addresses and usage, never a secret, code or token. */
const print = (text: string) => process.stdout.write(`${text}\n`);

async function main(): Promise<void> {
  let options;
  try {
    options = parseCliArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (options === 'help') {
    print(USAGE);
    return;
  }
  const emulator = await startSpectroCloudEmulator({ ...options, logger: { info: print } });
  // One write, so a process reading this output sees the whole block at once.
  print(
    [
      `issuer:            ${emulator.issuer}`,
      `authorization URL: ${emulator.authorizationUrl}`,
      `client id:         ${options.clients[0].clientId} (secret not shown)`,
      `users:             ${options.usersFile ? `from ${options.usersFile}` : `${options.users?.length ?? 0} example users (alice, bob, carol; --users FILE for your own)`}`,
      `end session URL:   ${emulator.endSessionUrl}`,
      `faults:            POST/DELETE ${emulator.url}/__emulator/faults`,
    ].join('\n'),
  );

  const stop = () => void emulator.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch(err => {
  console.error(`SpectroCloud emulator failed to start: ${(err as Error).message}`);
  process.exit(1);
});
