import { SessionState, type SessionApi } from '@backstage/core-plugin-api';
import type { Observable, Observer, Subscription } from '@backstage/types';

// TC39's interop key; zen-observable (Backstage's) uses '@@observable' where the symbol is missing.
const OBSERVABLE_KEY = ((Symbol as { observable?: symbol }).observable ?? '@@observable') as typeof Symbol.observable;

/**
 * One `sessionState$` for the app while the session object behind it is
 * replaced (a renewed sign-in): follows the current session's states and
 * passes on changes only, so swapping in a session of the same, signed-in
 * user emits nothing. New subscribers get the current state first, as
 * core-app-api's own session state does.
 */
export class SessionStateRelay {
  private state: SessionState = SessionState.SignedOut;
  private readonly observers = new Set<Observer<SessionState>>();
  private source?: Subscription;

  follow(session: Pick<SessionApi, 'sessionState$'>): void {
    const previous = this.source;
    this.source = session.sessionState$().subscribe(state => this.emit(state));
    previous?.unsubscribe();
  }

  get current(): SessionState {
    return this.state;
  }

  observable(): Observable<SessionState> {
    const observable: Observable<SessionState> = {
      [OBSERVABLE_KEY]: () => observable,
      subscribe: (first?: Observer<SessionState> | ((value: SessionState) => void)) => {
        const observer: Observer<SessionState> = typeof first === 'function' ? { next: first } : (first ?? {});
        this.observers.add(observer);
        observer.next?.(this.state);
        let closed = false;
        return {
          get closed() {
            return closed;
          },
          unsubscribe: () => {
            closed = true;
            this.observers.delete(observer);
          },
        };
      },
    } as Observable<SessionState>;
    return observable;
  }

  private emit(state: SessionState): void {
    if (state === this.state) return;
    this.state = state;
    for (const observer of [...this.observers]) observer.next?.(state);
  }
}
