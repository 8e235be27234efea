import type { SessionTokenLogger } from '../../ttlStore/types';
import { SessionTokenCache, type SessionTokenCacheOptions, type SpectroCloudSession } from '../stores/sessionTokenCache';
import type { PaletteApi } from './paletteApi';
import { SessionTokenRenewal, type SessionTokenRenewalOptions } from './renewal';

export interface PaletteSessionTokenCacheOptions extends SessionTokenCacheOptions {
  palette: PaletteApi;
  /** false: never renew (tokenStore.renewSessionTokens: false) */
  renew: boolean;
  lockMs: number;
  renewWithinMs?: number;
  metrics?: SessionTokenRenewalOptions['metrics'];
  logger?: SessionTokenLogger;
}

/**
 * The session-token cache that also knows Palette's API: a user's token read
 * for the hand-off is renewed first when it is near expiry (see
 * {@link SessionTokenRenewal}), and the Palette API client finds the API here.
 */
export class PaletteSessionTokenCache extends SessionTokenCache {
  readonly palette: PaletteApi;
  readonly renewal?: SessionTokenRenewal;

  constructor(options: PaletteSessionTokenCacheOptions) {
    super(options);
    this.palette = options.palette;
    if (options.renew) {
      this.renewal = new SessionTokenRenewal({
        api: options.palette,
        read: ref => super.forUser(ref),
        write: input => this.remember(input),
        forget: input => this.forget(input),
        lockStore: options.store,
        lockMs: options.lockMs,
        renewWithinMs: options.renewWithinMs,
        clock: options.clock,
        metrics: options.metrics,
        logger: options.logger,
      });
    }
  }

  /**
   * A token Palette just answered 401 to, renewed (or the one another caller
   * stored meanwhile); undefined when there is nothing newer to try.
   */
  async renewAfterRefusal(userEntityRef: string, refusedToken: string): Promise<SpectroCloudSession | undefined> {
    const stored = await super.forUser(userEntityRef);
    if (!stored) return undefined;
    if (stored.sessionToken !== refusedToken) return stored;
    return this.renewal?.now(stored);
  }

  override async forUser(userEntityRef: string): Promise<SpectroCloudSession | undefined> {
    const session = await super.forUser(userEntityRef);
    return session && this.renewal ? this.renewal.ifNearExpiry(session) : session;
  }
}
