import type { SessionEnd } from './readSessionEnd';
import type { TabChannel, TabMessage } from './tabChannel';

/** What the user is shown about the session's end. */
export type SessionEndNotice =
  | { kind: 'none' }
  /** `endsAt`: epoch ms on this browser's clock */
  | { kind: 'warning'; endsAt: number }
  | { kind: 'ended' };

export interface SessionEndWatchOptions {
  readEnd: () => Promise<SessionEnd>;
  /** how long before the end the warning shows */
  leadTimeMs: number;
  openChannel: (onMessage: (message: TabMessage) => void) => TabChannel;
  onNotice: (notice: SessionEndNotice) => void;
  now?: () => number;
}

/** Tabs compute the same server-side end from their own requests: a few seconds apart at most. */
const SAME_END_MS = 10_000;
/** The backend unreachable: ask again after this long. */
const RETRY_MS = 30_000;
/** setTimeout's limit (about 24.8 days); a later end is looked at again then. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Follows one signed-in session towards its end: the warning once, `leadTimeMs`
 * ahead (not again after a dismissal, in any tab), then the final notice.
 * Each due moment reads the end again, so a renewal in another tab whose
 * message was missed still moves it. No React here: the component renders
 * what `onNotice` says.
 */
export class SessionEndWatch {
  private notice: SessionEndNotice = { kind: 'none' };
  private endsAt?: number;
  /** who the followed session belongs to, so a sign-in after its end can be checked against it */
  private user?: string;
  private dismissedEndsAt?: number;
  private timer?: ReturnType<typeof setTimeout>;
  /** bumped by every read and reset: a slower, older read never overrides a newer state */
  private generation = 0;
  private readonly channel: TabChannel;
  private readonly now: () => number;

  constructor(private readonly options: SessionEndWatchOptions) {
    this.now = options.now ?? (() => Date.now());
    this.channel = options.openChannel(message => this.onTabMessage(message));
    this.dismissedEndsAt = this.channel.lastDismissed();
  }

  /** Signed in, renewed, or a due moment: reads the end and schedules what comes next. */
  async check(): Promise<void> {
    const generation = ++this.generation;
    const end = await this.options.readEnd();
    if (generation === this.generation) this.apply(end);
  }

  /** The user entity ref of the last session this tab followed. */
  get followedUser(): string | undefined {
    return this.user;
  }

  /**
   * The user dismissed the warning here: dismissed in every tab, never shown
   * again for this session. The final notice is dismissed in this tab only.
   */
  dismiss(): void {
    if (this.notice.kind === 'ended') this.show({ kind: 'none' });
    if (this.notice.kind !== 'warning') return;
    this.dismissedEndsAt = this.notice.endsAt;
    this.channel.post({ kind: 'dismissed', endsAt: this.notice.endsAt });
    this.show({ kind: 'none' });
  }

  /** The user renewed the session here: every tab reads the new end. */
  async renewed(): Promise<void> {
    this.channel.post({ kind: 'renewed' });
    await this.check();
  }

  /** Signed out: the final notice stays when the session reached its end, anything else goes. */
  signedOut(): void {
    this.generation++;
    clearTimeout(this.timer);
    const reachedEnd = this.endsAt !== undefined && this.now() >= this.endsAt;
    this.endsAt = undefined;
    if (!reachedEnd && this.notice.kind !== 'ended') this.show({ kind: 'none' });
    else this.show({ kind: 'ended' });
  }

  /** The session ended other than by time (a renewal as another user signed the app out). */
  showEnded(): void {
    this.show({ kind: 'ended' });
  }

  close(): void {
    this.generation++;
    clearTimeout(this.timer);
    this.channel.close();
  }

  private apply(end: SessionEnd): void {
    clearTimeout(this.timer);
    const now = this.now();
    if (end.kind === 'unknown') {
      // Nothing new: the end known so far still holds (warned and ended on time), else ask again later.
      if (this.endsAt !== undefined) return this.apply({ kind: 'ends', endsAt: this.endsAt });
      this.timer = setTimeout(() => void this.check(), RETRY_MS);
      return;
    }
    if (end.kind === 'signed-out') {
      // The session this tab followed is gone (its end, or a sign-out elsewhere).
      return this.show(this.endsAt === undefined && this.notice.kind === 'none' ? { kind: 'none' } : { kind: 'ended' });
    }
    if (end.kind === 'renews-silently') {
      this.endsAt = undefined;
      return this.show({ kind: 'none' });
    }
    this.endsAt = end.endsAt;
    this.user = end.userEntityRef ?? this.user;
    if (now >= end.endsAt) return this.show({ kind: 'ended' });
    const warnAt = end.endsAt - this.options.leadTimeMs;
    const dismissed = this.dismissedEndsAt !== undefined && Math.abs(this.dismissedEndsAt - end.endsAt) < SAME_END_MS;
    this.show(now >= warnAt && !dismissed ? { kind: 'warning', endsAt: end.endsAt } : { kind: 'none' });
    const due = now < warnAt ? warnAt : end.endsAt;
    this.timer = setTimeout(() => void this.check(), Math.min(due - now, MAX_TIMER_MS));
  }

  private onTabMessage(message: TabMessage): void {
    if (message.kind === 'renewed') {
      void this.check();
      return;
    }
    this.dismissedEndsAt = message.endsAt;
    if (this.notice.kind === 'warning' && Math.abs(this.notice.endsAt - message.endsAt) < SAME_END_MS) this.show({ kind: 'none' });
  }

  private show(notice: SessionEndNotice): void {
    const same = notice.kind === this.notice.kind && (notice.kind !== 'warning' || notice.endsAt === (this.notice as { endsAt: number }).endsAt);
    this.notice = notice;
    if (!same) this.options.onNotice(notice);
  }
}
