import { failed, passed, type CheckResult } from '../DoctorCheck';
import { FIXES } from '../fixes';
import type { DeploymentSettings } from './configCheck';

/** Shorter secrets are guessable enough to forge the signed session cookies they key. */
const MIN_SECRET_LENGTH = 24;
/** Other legacy providers whose passport strategies keep state in a session (openid-client's). */
const NEED_SESSIONS = ['oidc'];

/**
 * `session-secret`: the SpectroCloud provider binds its state to the browser
 * with a signed cookie of its own and needs no `auth.session.secret`. When it
 * is set, the legacy router keeps passport sessions signed with it, so it
 * must not be trivially short; when another configured provider needs
 * sessions, it must be set.
 */
export function checkSessionSecret({ root }: DeploymentSettings): CheckResult {
  const secret = root.getOptional('auth.session.secret');
  const needing = NEED_SESSIONS.filter(id => root.has(`auth.providers.${id}`));
  if (secret === undefined || secret === '') {
    if (needing.length > 0) {
      return failed('session-secret', `auth.session.secret is not set, but auth.providers.${needing.join(', ')} keeps sign-in state in a session`, FIXES.sessionSecret);
    }
    return passed('session-secret', 'auth.session.secret not set; the SpectroCloud provider does not need it');
  }
  if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) {
    return failed('session-secret', `auth.session.secret is shorter than ${MIN_SECRET_LENGTH} characters`, FIXES.sessionSecret);
  }
  return passed('session-secret', 'auth.session.secret set (not shown)');
}
