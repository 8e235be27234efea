import { readRefreshAnswer, type RefreshAnswerOptions } from '../refreshAnswer';

/** When the signed-in session ends, as far as the backend says. */
export type SessionEnd =
  /** `endsAt`: epoch ms on this browser's clock */
  | { kind: 'ends'; endsAt: number; userEntityRef?: string }
  /** a standard IdP's refresh token renews it silently, with no end the backend knows of */
  | { kind: 'renews-silently' }
  | { kind: 'signed-out' }
  /** the backend could not be asked (network, 5xx): nothing is known */
  | { kind: 'unknown' };

/**
 * Reads `providerInfo.sessionEndsInSeconds` from `/refresh`. The backend
 * sends a duration, not a time, so a skewed browser clock still warns on time.
 */
export async function readSessionEnd(options: RefreshAnswerOptions, now: () => number): Promise<SessionEnd> {
  const answer = await readRefreshAnswer(options);
  if (answer.kind === 'no-session') return { kind: 'signed-out' };
  if (answer.kind === 'unreachable') return { kind: 'unknown' };
  const seconds = answer.providerInfo.sessionEndsInSeconds;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) return { kind: 'renews-silently' };
  return { kind: 'ends', endsAt: now() + seconds * 1000, userEntityRef: answer.userEntityRef };
}
