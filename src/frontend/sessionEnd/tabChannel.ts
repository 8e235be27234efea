import { openRenewalBroadcast } from '../renewalBroadcast';

/** What one tab tells the others about the session's end. */
export type TabMessage =
  /** the user renewed the session in a tab: everyone reads the new end */
  | { kind: 'renewed' }
  /** the user dismissed the warning of the session ending at `endsAt` (epoch ms) */
  | { kind: 'dismissed'; endsAt: number };

/** The tabs of one app and provider: one decision for all of them. */
export interface TabChannel {
  post(message: TabMessage): void;
  /** The `endsAt` of the last dismissed warning, kept for tabs opened (or reloaded) later. */
  lastDismissed(): number | undefined;
  close(): void;
}

/**
 * A `BroadcastChannel` per app origin and provider id, plus the last dismissal
 * in `localStorage` so a tab opened after it does not warn again. Without
 * either (an old browser, storage turned off) each tab decides for itself.
 */
export function openTabChannel(providerId: string, onMessage: (message: TabMessage) => void): TabChannel {
  const name = `backstage-spectrocloud-session-end:${providerId}`;
  const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(name) : undefined;
  if (channel) channel.onmessage = event => onMessage(event.data as TabMessage);
  // Every renewal the auth API announces (this tab's too, a redirect's after its return, or re-authentication's): read the new end.
  const renewals = openRenewalBroadcast(providerId, () => onMessage({ kind: 'renewed' }));
  return {
    post(message) {
      channel?.postMessage(message);
      if (message.kind === 'dismissed') writeStorage(name, String(message.endsAt));
    },
    lastDismissed() {
      const value = Number(readStorage(name));
      return Number.isFinite(value) && value > 0 ? value : undefined;
    },
    close() {
      channel?.close();
      renewals?.close();
    },
  };
}

function readStorage(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null; // storage turned off: each tab decides for itself
  }
}

function writeStorage(key: string, value: string): void {
  try {
    window.localStorage.setItem(key, value);
  } catch {
    // storage turned off or full: the other open tabs still heard the message
  }
}
