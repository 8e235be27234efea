import type { RequestHandler } from 'express';
import type { EmulatorFaults } from './types';

/**
 * Every answer's HTTP `Date` header comes from the emulator's clock, shifted by
 * the dateSkewSeconds fault as from a server whose clock is wrong, so clients
 * that estimate clock skew from it can be tested.
 */
export function dateHeader(faults: EmulatorFaults, clock: () => number): RequestHandler {
  return (_req, res, next) => {
    res.setHeader('Date', new Date(clock() + (faults.dateSkewSeconds ?? 0) * 1000).toUTCString());
    next();
  };
}
