import type { Response } from 'express';

const POLL_MS = 20;

/**
 * Holds requests while a fault says so (`tokenStall`): the connection is
 * accepted and nothing is answered. The fault is checked on a short unref'd
 * timer, so every way of clearing it (setFaults, resetFaults, the admin
 * endpoint, mutating `faults`) releases the requests; a request whose client
 * hung up is let go at once, so the emulator keeps no socket for it.
 */
export class StalledRequests {
  #held = 0;

  constructor(private readonly stalled: () => boolean) {}

  /** How many requests are held right now. */
  get size(): number {
    return this.#held;
  }

  /** True once the fault is cleared and the client still waits; false when the client went away. */
  hold(res: Response): Promise<boolean> {
    if (res.destroyed || res.socket?.destroyed) return Promise.resolve(false);
    this.#held++;
    return new Promise(resolve => {
      let done = false;
      const finish = (clientWaits: boolean) => {
        if (done) return;
        done = true;
        clearInterval(timer);
        res.off('close', onClose);
        this.#held--;
        resolve(clientWaits);
      };
      const onClose = () => finish(false);
      const timer = setInterval(() => this.stalled() || finish(true), POLL_MS);
      timer.unref(); // a held request must not keep a test process alive
      res.on('close', onClose);
    });
  }
}
