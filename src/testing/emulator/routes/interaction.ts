import type { RequestHandler } from 'express';
import { afterLogin, approve, deny } from '../authorizationFlow';
import { sendErrorPage } from '../errorPage';
import type { EmulatorState } from '../state';

const EXPIRED = 'This sign-in page has expired or was already used. Start the sign-in again.';

/** The login page's forms post here: an account was picked, or Deny was pressed. */
export function loginRoute(state: EmulatorState): RequestHandler {
  return (req, res) => {
    const interaction = state.interactions.take(req.params.id);
    if (!interaction) return sendErrorPage(res, 400, EXPIRED);
    if (req.body?.action === 'deny') return deny(res, state, interaction.request);
    const user = state.users.find(typeof req.body?.email === 'string' ? req.body.email : undefined);
    if (!user) return sendErrorPage(res, 400, 'Unknown user.');
    afterLogin(res, state, interaction.request, user);
  };
}

/** The consent page's Allow and Deny buttons post here. */
export function consentRoute(state: EmulatorState): RequestHandler {
  return (req, res) => {
    const interaction = state.interactions.take(req.params.id);
    const session = interaction?.session;
    const user = state.users.find(session?.email);
    if (!interaction || !session || !user) return sendErrorPage(res, 400, EXPIRED);
    if (req.body?.action !== 'allow') return deny(res, state, interaction.request);
    approve(res, state, interaction.request, user, session);
  };
}
