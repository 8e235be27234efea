import type { Request } from 'express';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runStrategy, type RunnableStrategy } from '../../src/oauth2/runStrategy';

const req = {} as Request;

/** A strategy whose authenticate() does what `act` says with the per-run actions passport would give it. */
function strategy(act: (run: Record<string, (...args: any[]) => void>) => void): RunnableStrategy {
  return {
    authenticate(this: Record<string, (...args: any[]) => void>) {
      act(this);
    },
  };
}

describe('runStrategy', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('resolves a redirect made within authenticate() and leaves no timer behind', async () => {
    vi.useFakeTimers();
    const outcome = runStrategy(strategy(run => run.redirect('https://idp.example/auth?x=1')), req, {}, 5_000);
    expect(vi.getTimerCount()).toBe(0);
    await expect(outcome).resolves.toEqual({ kind: 'redirect', url: 'https://idp.example/auth?x=1', status: 302 });
  });

  it('rejects a run that never settles with ERR_TIMEOUT once the backstop has passed', async () => {
    vi.useFakeTimers();
    const outcome = runStrategy(strategy(() => undefined), req, {}, 5_000);
    const rejected = expect(outcome).rejects.toMatchObject({ code: 'ERR_TIMEOUT' });
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(4_999);
    let settled = false;
    void outcome.catch(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    vi.advanceTimersByTime(1);
    await rejected;
  });

  it('clears the backstop when an asynchronous run succeeds', async () => {
    vi.useFakeTimers();
    let succeed: () => void = () => undefined;
    const outcome = runStrategy(strategy(run => (succeed = () => run.success({ id: 'u' }, { ok: true }))), req, {}, 5_000);
    expect(vi.getTimerCount()).toBe(1);
    succeed();
    await expect(outcome).resolves.toEqual({ kind: 'success', user: { id: 'u' }, info: { ok: true } });
    expect(vi.getTimerCount()).toBe(0);
  });
});
