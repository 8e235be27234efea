/**
 * A renewal through the redirect flow leaves the page before it settles, so
 * what follows a renewal (telling the app's other tabs) runs at the app's next
 * load in this tab. The tab notes whose session it renews in sessionStorage:
 * per tab, and kept across the trip to SpectroCloud and back on the app's origin.
 */
export interface RedirectRenewalNote {
  /** Before the sign-in starts: this tab renews the session of `userEntityRef`. */
  write(userEntityRef: string): void;
  /**
   * Whose session this tab left to renew, if it left lately; the note is gone
   * afterwards. At load, and to drop the note when the sign-in settled without
   * leaving the page.
   */
  take(): string | undefined;
}

/** The backend's nonce cookie lives 10 minutes: a sign-in that comes back later has failed anyway. */
const MAX_AGE_MS = 10 * 60_000;

export function openRedirectRenewalNote(providerId: string, now: () => number = Date.now): RedirectRenewalNote {
  const key = `backstage-spectrocloud-renewing:${providerId}`;
  // No storage (turned off, full, no window): no note, and the other tabs take the renewal at their next refresh.
  const attempt = <T>(job: (storage: Storage) => T): T | undefined => {
    try {
      return job(window.sessionStorage);
    } catch {
      return undefined;
    }
  };
  return {
    // "<epoch ms> <user entity ref>"
    write: userEntityRef => attempt(storage => storage.setItem(key, `${now()} ${userEntityRef}`)),
    take() {
      const note = attempt(storage => {
        const value = storage.getItem(key);
        storage.removeItem(key);
        return value;
      });
      const [at, user] = (note ?? '').split(' ');
      return user && now() - Number(at) < MAX_AGE_MS ? user : undefined;
    },
  };
}
