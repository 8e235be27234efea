import type { RequestHandler } from 'express';
import type { EmulatorState } from '../state';

/** The public keys ID tokens verify against; counted so tests can prove clients cache them. */
export function jwksRoute(state: EmulatorState): RequestHandler {
  return (req, res, next) => {
    // The jwksPath fault moves the set: only `<issuer>/<jwksPath>` serves it then.
    const path = req.params.segment ?? 'keys';
    if (path !== (state.faults.jwksPath ?? 'keys')) return req.params.segment ? next() : void res.status(404).json({ error: 'not_found' });
    state.stats.jwksRequests++;
    if (state.faults.jwksDown) return void res.status(503).json({ error: 'temporarily_unavailable' });
    res.json(state.keys.jwks);
  };
}
