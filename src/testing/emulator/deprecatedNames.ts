// The emulator's names from before issue 25 ("session token" for what the package now calls the
// Palette token), kept so that no released option, control or stat disappears. Each says what to
// use instead (docs/upgrading.md, "Names from issue 25").
import type { PaletteTokens } from './paletteTokens';
import type { EmulatorStats, SpectroCloudEmulatorControls, SpectroCloudEmulatorOptions } from './types';

/** An option under its current name or its released one; both naming different values is a mistake refused at once. */
export function readRenamedOption<Current extends keyof SpectroCloudEmulatorOptions, Released extends keyof SpectroCloudEmulatorOptions>(
  options: SpectroCloudEmulatorOptions,
  current: Current,
  released: Released,
): SpectroCloudEmulatorOptions[Current] | SpectroCloudEmulatorOptions[Released] {
  const now = options[current];
  const before = options[released];
  if (now !== undefined && before !== undefined && (now as unknown) !== before) {
    throw new Error(
      `SpectroCloud emulator: options "${current}" and "${released}" are both given, with different values. Keep only "${current}" ("${released}" is its old name).`,
    );
  }
  return now ?? before;
}

type DeprecatedControls = Pick<SpectroCloudEmulatorControls, 'signSessionToken' | 'verifySessionToken' | 'signOutSessionToken'>;

/** The released control names, doing exactly what their Palette-token names do. */
export function deprecatedControls(state: { paletteTokens: PaletteTokens }): DeprecatedControls {
  return {
    signSessionToken: claims => state.paletteTokens.sign(claims),
    verifySessionToken: token => state.paletteTokens.verify(token),
    signOutSessionToken: token => state.paletteTokens.signOut(token),
  };
}

type CurrentStats = Omit<EmulatorStats, 'sessionTokenRenewals' | 'sessionTokenRenewalsRefused'>;

/**
 * The stats with the released counter names as enumerable accessors of the new ones: one counter
 * under two names, so a spread copy or `GET /__emulator/stats` shows both and they never disagree.
 */
export function withDeprecatedStats(stats: CurrentStats): EmulatorStats {
  const alias = (released: keyof EmulatorStats, current: 'paletteTokenRenewals' | 'paletteTokenRenewalsRefused') =>
    Object.defineProperty(stats, released, {
      enumerable: true,
      get: () => stats[current],
      set: (value: number) => void (stats[current] = value),
    });
  alias('sessionTokenRenewals', 'paletteTokenRenewals');
  alias('sessionTokenRenewalsRefused', 'paletteTokenRenewalsRefused');
  return stats as EmulatorStats;
}
