import express, { type Response, type Router } from 'express';
import type { EmulatorState } from '../state';

/**
 * The small piece of Palette's REST API the Palette token is for, at the
 * server root as Palette serves it (`/v1/...`):
 * - `GET /v1/auth/refresh/{token}`: a new Palette token of the same session
 *   for a live one (`{ Authorization, isMfa }`, the spec's `V1UserToken`); 401
 *   for an expired, foreign or signed-out one.
 * - `GET /v1/users/info`: the token's user, for `Authorization: <token>` sent
 *   raw (the spec's `Authorization` header scheme; `Bearer <token>` is not it).
 *   Records the `ProjectUid` header of the call.
 */
export function paletteApiRouter(state: EmulatorState): Router {
  const router = express.Router();
  const nowSeconds = () => Math.floor(state.options.clock() / 1000);

  router.get('/auth/refresh/:token', (req, res) => {
    const renewed = state.paletteTokens.renew(req.params.token, state.options.paletteTokenTtlSeconds, nowSeconds());
    if (!renewed) {
      state.stats.paletteTokenRenewalsRefused++;
      state.options.logger.info('palette api: Palette token renewal refused (answered 401)');
      return unauthorized(res, 'the Palette token is invalid, expired or signed out');
    }
    state.stats.paletteTokenRenewals++;
    state.options.logger.info('palette api: Palette token renewed');
    res.set('Cache-Control', 'no-store').json({ Authorization: renewed, isMfa: false });
  });

  router.get('/users/info', (req, res) => {
    state.stats.paletteApiRequests++;
    const projectUid = req.headers.projectuid;
    state.stats.lastProjectUid = typeof projectUid === 'string' ? projectUid : undefined;
    if (state.faults.paletteApiRefusals) {
      state.faults.paletteApiRefusals--;
      return unauthorized(res, 'the Palette token was refused (emulator fault paletteApiRefusals)');
    }
    const claims = state.paletteTokens.verify(req.headers.authorization ?? '');
    const user = typeof claims?.email === 'string' ? state.users.find(claims.email) : undefined;
    if (!user) return unauthorized(res, 'send a live Palette token, as is, in the Authorization header');
    res.set('Cache-Control', 'no-store').json({ userUid: user.id, name: user.name, email: user.email, tenantUid: state.options.tenantId });
  });
  return router;
}

// Palette's error body: { code, message }.
function unauthorized(res: Response, message: string) {
  res.status(401).set('Cache-Control', 'no-store').json({ code: 'Unauthorized', message });
}
