import type { RequestHandler } from 'express';
import { profileClaims } from '../claims';
import type { EmulatorState } from '../state';

/** Claims for a Bearer access token; 401 with an RFC 6750 challenge otherwise. */
export function userinfoRoute(state: EmulatorState): RequestHandler {
  return (req, res) => {
    const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const grant = token ? state.accessTokens.get(token) : undefined;
    const user = state.users.find(grant?.email);
    if (!grant || !user) {
      return void res
        .status(401)
        .set('WWW-Authenticate', 'Bearer error="invalid_token"')
        .json({ error: 'invalid_token', error_description: 'the access token is invalid or expired' });
    }
    res.set('Cache-Control', 'no-store').json(profileClaims(user, grant.scope));
  };
}
