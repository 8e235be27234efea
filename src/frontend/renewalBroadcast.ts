/** Tells the app's other tabs that one of them renewed the session of a provider id. */
export interface RenewalBroadcast {
  /** This tab renewed the session of `userEntityRef`: its sign-in set the refresh cookie that every tab shares. */
  post(userEntityRef: string): void;
  close(): void;
}

/**
 * A `BroadcastChannel` per app origin and provider id, apart from the
 * warning's channel: every client of the provider hears it, with or without
 * the warning on the page. A tab does not hear its own posts. Without
 * BroadcastChannel, the other tabs take the renewed session at their next
 * refresh, as before.
 */
export function openRenewalBroadcast(providerId: string, onRenewed: (userEntityRef: string) => void): RenewalBroadcast | undefined {
  if (typeof BroadcastChannel !== 'function') return undefined;
  const channel = new BroadcastChannel(`backstage-spectrocloud-renewed:${providerId}`);
  // Node (tests, server-side rendering): an open channel must not keep the process alive.
  (channel as { unref?: () => void }).unref?.();
  channel.onmessage = event => {
    const userEntityRef = (event.data as { renewedBy?: unknown } | null)?.renewedBy;
    if (typeof userEntityRef === 'string') onRenewed(userEntityRef);
  };
  return {
    post: userEntityRef => channel.postMessage({ renewedBy: userEntityRef }),
    close: () => channel.close(),
  };
}
