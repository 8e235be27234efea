import express, { type Router } from 'express';
import type { EmulatorState } from '../state';

/** Key rollover over HTTP: rotate, and withdraw an old key from the JWKS. */
export function adminKeysRouter(state: EmulatorState): Router {
  const router = express.Router();
  router.use(express.json());

  router.get('/', (_req, res) => void res.json({ currentKid: state.keys.current.kid, kids: kids(state) }));

  router.post('/rotate', (req, res) => {
    const keepOld = req.body?.keepOld ?? true;
    if (typeof keepOld !== 'boolean') {
      return void res.status(400).json({ error: 'invalid_request', error_description: '"keepOld" must be a boolean' });
    }
    const kid = state.keys.rotate(keepOld);
    state.options.logger.info(`admin: signing key rotated (${keepOld ? 'old keys kept' : 'old keys withdrawn'})`);
    res.json({ currentKid: kid, kids: kids(state) });
  });

  router.delete('/:kid', (req, res) => {
    try {
      state.keys.withdraw(req.params.kid);
    } catch (err) {
      return void res.status(400).json({ error: 'invalid_request', error_description: (err as Error).message });
    }
    state.options.logger.info('admin: a signing key was withdrawn');
    res.json({ currentKid: state.keys.current.kid, kids: kids(state) });
  });

  return router;
}

function kids(state: EmulatorState): unknown[] {
  return state.keys.jwks.keys.map(k => k.kid);
}
