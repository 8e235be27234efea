import type { RequestHandler } from 'express';
import { parseEndSessionRequest } from '../endSessionRequest';
import { sendErrorPage } from '../errorPage';
import { redirectBack } from '../redirects';
import { renderSignedOutPage } from '../signedOutPage';
import type { EmulatorState } from '../state';

/**
 * The end_session_endpoint (RP-Initiated Logout 1.0), GET or POST form: ends
 * the emulator's SSO session, then goes back to the application or shows the
 * signed-out page. Without an id_token_hint it signs out at once, where some
 * servers would first ask the user to confirm.
 */
export function endSessionRoute(state: EmulatorState): RequestHandler {
  return (req, res) => {
    state.stats.endSessionRequests++;
    const params = req.method === 'POST' ? (req.body ?? {}) : req.query;
    const parsed = parseEndSessionRequest(params, state);
    if (parsed.kind === 'page') {
      state.options.logger.info('end_session: refused (answered 400)');
      return sendErrorPage(res, 400, parsed.message, 'Sign-out error');
    }
    state.sessions.end(req, res);
    state.options.logger.info('end_session: signed out');
    if (parsed.target) return redirectBack(res, parsed.target, {});
    res.set('Cache-Control', 'no-store').type('html').send(renderSignedOutPage(state.options.tenantId));
  };
}
