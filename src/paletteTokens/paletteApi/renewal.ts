import { paletteTokenExpiry } from '../stores/paletteTokenExpiry';
import type { SpectroCloudLogger } from '../../logger';
import type { SpectroCloudStore } from '../../ttlStore/types';
import type { PaletteTokenRecord, RememberPaletteTokenInput } from '../stores/paletteTokenRecord';
import type { PaletteApi } from './paletteApi';

/** Renew when less than this is left (Palette's tokens live 15 minutes). */
export const DEFAULT_RENEW_WITHIN_MS = 5 * 60_000;

export interface PaletteTokenRenewalOptions {
  api: PaletteApi;
  /** The stored record of a user, as the cache reads it (without renewing). */
  read(userEntityRef: string): Promise<PaletteTokenRecord | undefined>;
  write(input: RememberPaletteTokenInput): Promise<void>;
  forget(input: { userEntityRef: string; email?: string }): Promise<void>;
  /** Where the short per-user lock goes (its `claim`); without `claim`, only this process is kept to one renewal per user. */
  lockStore: SpectroCloudStore;
  /** How long a replica's claim on a user's renewal holds: longer than one call to Palette. */
  lockMs: number;
  renewWithinMs?: number;
  clock?: () => number;
  /** Counts renewals (SpectroCloudAuthMetrics implements it). */
  metrics?: { recordHandoff(event: 'renewed' | 'renewalRefused' | 'renewalFailed'): void };
  logger?: SpectroCloudLogger;
}

/**
 * Keeps a user's Palette token alive through Palette's
 * `GET /v1/auth/refresh/{token}` (same Palette session, new 15 minutes), and
 * stores the renewed token in place of the old one. One renewal per user at
 * a time: concurrent callers in a process share it, and replicas on one store
 * take a short claim (`SET NX`) first; a replica that loses it keeps using the
 * current token (still valid) or the one the winner stored.
 *
 * Palette refusing (expired, signed out) drops the entry: the hand-off then
 * asks the user to sign in again, as before. Palette unreachable keeps the
 * current token while it lasts. Tokens are never logged.
 */
export class PaletteTokenRenewal {
  private readonly inFlight = new Map<string, Promise<PaletteTokenRecord | undefined>>();
  private readonly renewWithinMs: number;
  private readonly clock: () => number;

  constructor(private readonly options: PaletteTokenRenewalOptions) {
    this.renewWithinMs = options.renewWithinMs ?? DEFAULT_RENEW_WITHIN_MS;
    this.clock = options.clock ?? Date.now;
  }

  /** The session as is while it has time left, else renewed; undefined when Palette refused to renew it. */
  ifNearExpiry(session: PaletteTokenRecord): Promise<PaletteTokenRecord | undefined> {
    return this.isDue(session) ? this.renew(session, false) : Promise.resolve(session);
  }

  /** Renews now (Palette said 401 to this token); undefined when it cannot be renewed. */
  async now(session: PaletteTokenRecord): Promise<PaletteTokenRecord | undefined> {
    const renewed = await this.renew(session, true);
    return renewed && renewed.sessionToken !== session.sessionToken ? renewed : undefined;
  }

  private isDue(session: PaletteTokenRecord): boolean {
    // Scheduling only, never trust: Palette's HS256 token cannot be verified here,
    // so its `exp` is read with jsonwebtoken's decode to know when to renew, nothing more.
    const expiresAt = paletteTokenExpiry(session.sessionToken) ?? session.expiresAt;
    return expiresAt - this.clock() <= this.renewWithinMs;
  }

  private renew(session: PaletteTokenRecord, force: boolean): Promise<PaletteTokenRecord | undefined> {
    const ref = session.userEntityRef;
    if (!ref) return Promise.resolve(session); // stored by e-mail alone (seed API): no user to renew for
    let pending = this.inFlight.get(ref);
    if (!pending) {
      pending = this.renewOnce(ref, session, force).finally(() => this.inFlight.delete(ref));
      this.inFlight.set(ref, pending);
    }
    return pending;
  }

  private async renewOnce(ref: string, session: PaletteTokenRecord, force: boolean): Promise<PaletteTokenRecord | undefined> {
    const { api, lockStore, metrics, logger } = this.options;
    const claimed = lockStore.claim ? await lockStore.claim(`renewal-lock:${ref}`, this.clock() + this.options.lockMs) : true;
    // Another replica may have stored a renewed token meanwhile: use it.
    const current = (await this.options.read(ref)) ?? session;
    if (current.sessionToken !== session.sessionToken || (!force && !this.isDue(current))) return current;
    if (!claimed) return session; // another replica is renewing; this token is still valid for now

    let renewed: string | undefined;
    try {
      renewed = await api.renew(session.sessionToken);
    } catch {
      metrics?.recordHandoff('renewalFailed');
      logger?.warn('Palette token not renewed: Palette could not be reached (ERR_ENDPOINT_UNREACHABLE); the current one is used while it lasts');
      return session;
    }
    if (!renewed) {
      metrics?.recordHandoff('renewalRefused');
      await this.options.forget({ userEntityRef: ref, email: session.email }).catch(() => undefined);
      return undefined;
    }
    metrics?.recordHandoff('renewed');
    const next: PaletteTokenRecord = { ...session, sessionToken: renewed, expiresAt: paletteTokenExpiry(renewed) ?? session.expiresAt };
    try {
      await this.options.write({ userEntityRef: ref, email: session.email, sessionToken: renewed, expiresAt: next.expiresAt });
    } catch {
      logger?.warn('Palette token renewed but not stored (ERR_TOKEN_STORE_UNAVAILABLE); it is used for this request');
    }
    return next;
  }
}
