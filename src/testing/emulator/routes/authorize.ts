import type { RequestHandler } from 'express';
import { parseAuthorizationRequest } from '../authorizationRequest';
import { continueAuthorization, deny } from '../authorizationFlow';
import { sendErrorPage } from '../errorPage';
import { redirectError } from '../redirects';
import { snapshotParams } from '../requestParams';
import type { EmulatorState } from '../state';

/** The authorization endpoint, GET or POST as OpenID Connect Core requires. */
export function authorizeRoute(state: EmulatorState): RequestHandler {
  return (req, res) => {
    state.stats.authorizationRequests++;
    const params = req.method === 'POST' ? (req.body ?? {}) : req.query;
    state.lastAuthorizationRequest = snapshotParams(params);
    const parsed = parseAuthorizationRequest(params, state.options);
    if (parsed.kind === 'page') return sendErrorPage(res, 400, parsed.message);
    if (parsed.kind === 'redirect') return redirectError(res, state, parsed.target, parsed.error, parsed.description);
    if (state.faults.deny) return deny(res, state, parsed.request);
    continueAuthorization(req, res, state, parsed.request);
  };
}
