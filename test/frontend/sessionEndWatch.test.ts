/**
 * SessionEndWatch on a frozen clock (vitest's fake timers), with Node's real
 * BroadcastChannel between two watches standing for two tabs. The backend's
 * answer is a function the test sets: what `/refresh` would say right now.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SessionEnd } from '../../src/frontend/sessionEnd/readSessionEnd';
import { SessionEndWatch, type SessionEndNotice } from '../../src/frontend/sessionEnd/SessionEndWatch';
import { openTabChannel } from '../../src/frontend/sessionEnd/tabChannel';

const MINUTE = 60_000;
const START = Date.UTC(2026, 11, 7, 12, 0, 0);

let channelId = 0;
let backend: () => SessionEnd;
const watches: SessionEndWatch[] = [];

/** A tab: its watch and every notice it showed. */
function tab(providerId: string, leadTimeMs = 5 * MINUTE) {
  const notices: SessionEndNotice['kind'][] = [];
  const watch = new SessionEndWatch({
    readEnd: async () => backend(),
    leadTimeMs,
    openChannel: onMessage => openTabChannel(providerId, onMessage),
    onNotice: notice => notices.push(notice.kind),
  });
  watches.push(watch);
  return { watch, notices, last: () => notices.at(-1) ?? 'none' };
}

/** Lets BroadcastChannel deliver (a real macrotask in Node) and the watches' reads settle. */
async function settle(): Promise<void> {
  vi.useRealTimers();
  await new Promise(resolve => setTimeout(resolve, 20));
  vi.useFakeTimers({ now: Date.now(), toFake: ['setTimeout', 'clearTimeout', 'Date'] });
}

const endsIn = (ms: number): (() => SessionEnd) => {
  const endsAt = Date.now() + ms;
  return () => ({ kind: 'ends', endsAt, userEntityRef: 'user:default/alice' });
};

beforeEach(() => {
  vi.useFakeTimers({ now: START, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  channelId += 1;
});
afterEach(() => {
  for (const watch of watches.splice(0)) watch.close();
  vi.useRealTimers();
});

describe('SessionEndWatch', () => {
  it('warns lead time ahead, not before, and shows the final notice at the end', async () => {
    backend = endsIn(20 * MINUTE);
    const one = tab(`p${channelId}`);
    await one.watch.check();
    expect(one.last()).toBe('none');
    await vi.advanceTimersByTimeAsync(15 * MINUTE - 1_000);
    expect(one.last()).toBe('none');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(one.last()).toBe('warning');
    backend = () => ({ kind: 'signed-out' }); // /refresh answers 401 once the ID token expired
    await vi.advanceTimersByTimeAsync(5 * MINUTE);
    expect(one.notices).toEqual(['warning', 'ended']);
  });

  it('shows nothing for a session that renews silently', async () => {
    backend = () => ({ kind: 'renews-silently' });
    const one = tab(`p${channelId}`);
    await one.watch.check();
    await vi.advanceTimersByTimeAsync(24 * 60 * MINUTE);
    expect(one.notices).toEqual([]);
  });

  it('reads the end again when the warning is due: a renewal it missed moves the warning', async () => {
    backend = endsIn(10 * MINUTE);
    const one = tab(`p${channelId}`);
    await one.watch.check();
    backend = endsIn(60 * MINUTE); // renewed elsewhere, no message heard
    await vi.advanceTimersByTimeAsync(5 * MINUTE);
    expect(one.notices).toEqual([]);
  });

  it('dismissal in one tab hides the warning in the other, and it does not come back for that session', async () => {
    backend = endsIn(4 * MINUTE);
    const first = tab(`p${channelId}`);
    const second = tab(`p${channelId}`);
    await first.watch.check();
    await second.watch.check();
    expect([first.last(), second.last()]).toEqual(['warning', 'warning']);
    first.watch.dismiss();
    await settle();
    expect([first.last(), second.last()]).toEqual(['none', 'none']);
    await second.watch.check(); // the same session's end, read again
    expect(second.last()).toBe('none');
  });

  it('a renewal in one tab makes the other read the new end and drop its warning', async () => {
    backend = endsIn(4 * MINUTE);
    const first = tab(`p${channelId}`);
    const second = tab(`p${channelId}`);
    await first.watch.check();
    await second.watch.check();
    backend = endsIn(60 * MINUTE);
    await first.watch.renewed();
    await settle();
    expect([first.last(), second.last()]).toEqual(['none', 'none']);
  });

  it('keeps the final notice when the app signs out at the end, and clears anything else on sign-out', async () => {
    backend = endsIn(2 * MINUTE);
    const one = tab(`p${channelId}`);
    await one.watch.check();
    expect(one.last()).toBe('warning');
    one.watch.signedOut(); // the user signed out before the end
    expect(one.last()).toBe('none');
    backend = endsIn(2 * MINUTE);
    await one.watch.check();
    await vi.advanceTimersByTimeAsync(2 * MINUTE); // core-app-api's refresh fails at the end: SignedOut
    one.watch.signedOut();
    expect(one.last()).toBe('ended');
  });

  it('warns and ends on the known end while the backend is unreachable', async () => {
    backend = endsIn(10 * MINUTE);
    const one = tab(`p${channelId}`);
    await one.watch.check();
    backend = () => ({ kind: 'unknown' });
    await vi.advanceTimersByTimeAsync(5 * MINUTE); // due, but nothing new could be read
    expect(one.last()).toBe('warning');
    await vi.advanceTimersByTimeAsync(5 * MINUTE);
    expect(one.notices).toEqual(['warning', 'ended']);
  });

  it('asks again later when the first read finds the backend unreachable', async () => {
    backend = () => ({ kind: 'unknown' });
    const one = tab(`p${channelId}`);
    await one.watch.check();
    backend = endsIn(2 * MINUTE + 30_000);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(one.last()).toBe('warning');
  });
});
