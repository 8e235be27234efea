import type { EmulatorUser } from './emulator/types';

/**
 * The users the `spectrocloud-emulator` command serves when it is given no
 * `--users` file: the same three as `examples/emulator-users.yaml` of this
 * repository (a test keeps them equal), so an installed package has sign-in
 * users without a file of its own. Alice and Bob match the example catalog's
 * users; Carol has no catalog entry (a sign-in the resolvers refuse).
 */
export const EXAMPLE_USERS: readonly EmulatorUser[] = [
  { email: 'alice@example.com', given_name: 'Alice', family_name: 'Example', groups: ['platform-team', 'developers'] },
  { email: 'bob@example.com', given_name: 'Bob', family_name: 'Builder', groups: ['developers'] },
  { email: 'carol@example.com', given_name: 'Carol', family_name: 'Nocatalog', groups: ['guests'] },
];
