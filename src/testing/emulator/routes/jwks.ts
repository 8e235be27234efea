import type { RequestHandler } from 'express';
import type { EmulatorState } from '../state';

/** The public keys ID tokens verify against; counted so tests can prove clients cache them. */
export function jwksRoute(state: EmulatorState): RequestHandler {
  return (_req, res) => {
    state.stats.jwksRequests++;
    if (state.faults.jwksDown) return void res.status(503).json({ error: 'temporarily_unavailable' });
    res.json(state.keys.jwks);
  };
}
