import type { BackstageSignInResult, SignInResolver } from '@backstage/plugin-auth-node';
import type { SpectroCloudAuthResult } from '../profile';
import { SignInCache } from '../refreshShortcuts/SignInCache';

/**
 * The legacy handlers' 10 s sign-in reuse (`SignInCache`) for the module.
 * Backstage's route handler calls the sign-in resolver itself at sign-in and
 * at every `/refresh`, so the cache sits around the resolver the module hands
 * it: the authenticator names the session each result belongs to, the
 * wrapped resolver reuses that session's resolution (same ID and access
 * tokens, same bounds: 10 s, one in flight, failures never kept, LRU size),
 * and sign-out forgets it. Sign-out and `sessionDuration` are checked by the
 * authenticator before the resolver runs.
 */
export class ReusedSignIns {
  private readonly cache: SignInCache<BackstageSignInResult>;
  private readonly sessionOf = new WeakMap<SpectroCloudAuthResult, string>();

  constructor(clock: () => number) {
    this.cache = new SignInCache({ clock });
  }

  /** Called by the authenticator for each result it hands the route handler. */
  belongsTo(result: SpectroCloudAuthResult, sessionId: string): void {
    this.sessionOf.set(result, sessionId);
  }

  /** The session's sign-out on this replica. */
  forget(sessionId: string): void {
    this.cache.forget(sessionId);
  }

  wrap(resolver: SignInResolver<SpectroCloudAuthResult>): SignInResolver<SpectroCloudAuthResult> {
    return (info, context) => {
      const sessionId = this.sessionOf.get(info.result);
      const idToken = info.result.params.id_token;
      const key = sessionId && typeof idToken === 'string' ? { sessionId, idToken, accessToken: info.result.accessToken } : undefined;
      return this.cache.resolve(key, () => resolver(info, context));
    };
  }
}
