import express, { type Router } from 'express';
import { applyFaults, clearFaults, faultsJson, parseFaultsJson } from '../faults';
import type { EmulatorState } from '../state';
import { adminKeysRouter } from './adminKeys';

/**
 * Test controls over HTTP, for an emulator running in another process (the
 * CLI): faults to switch on and off, key rollover, the request counters and
 * the last authorization request.
 */
export function adminRouter(state: EmulatorState): Router {
  const router = express.Router();
  router.use(express.json());

  router.get('/faults', (_req, res) => void res.json(faultsJson(state.faults)));

  router.post('/faults', (req, res) => {
    let changes;
    try {
      changes = parseFaultsJson(req.body);
    } catch (err) {
      return void res.status(400).json({ error: 'invalid_request', error_description: (err as Error).message });
    }
    applyFaults(state.faults, changes);
    state.options.logger.info(`admin: faults now ${JSON.stringify(faultsJson(state.faults))}`);
    res.json(faultsJson(state.faults));
  });

  router.delete('/faults', (_req, res) => {
    clearFaults(state.faults);
    state.options.logger.info('admin: faults cleared');
    res.json(faultsJson(state.faults));
  });

  router.get('/stats', (_req, res) => void res.json(state.stats));

  router.get('/authorization-request', (_req, res) => {
    if (!state.lastAuthorizationRequest) return void res.status(404).json({ error: 'not_found', error_description: 'no authorization request yet' });
    res.json(state.lastAuthorizationRequest);
  });

  router.use('/keys', adminKeysRouter(state));

  return router;
}
