import { failed, passed, type CheckResult } from '../DoctorCheck';
import { FIXES } from '../fixes';
import type { DeploymentSettings } from './configCheck';

/**
 * `scope`: what the configured sign-in resolvers read from the ID token is
 * requested. Every resolver of this package matches by e-mail (and
 * `allowedDomains` reads it too), so without the `email` scope every sign-in
 * fails with ERR_PROFILE_NO_EMAIL; `groupsAsOwnership` reads the `groups`
 * claim, which SpectroCloud only sends for the `groups` scope.
 */
export function checkScope({ settings, block, path }: DeploymentSettings): CheckResult {
  const scopes = settings.scope.split(' ');
  const entries = block.getOptionalConfigArray('signIn.resolvers');
  if (!entries) return passed('scope', `'${settings.scope}'; sign-in resolvers are set in code, not compared`);
  const problems: string[] = [];
  entries.forEach((entry, index) => {
    const at = `${path}.signIn.resolvers[${index}]`;
    const name = entry.getOptionalString('resolver');
    if (!scopes.includes('email')) problems.push(`${at} (${name}) matches by e-mail, but the scope does not request 'email'`);
    if (entry.getOptional('groupsAsOwnership') && entry.getOptional('groupsAsOwnership') !== false && !scopes.includes('groups')) {
      problems.push(`${at}.groupsAsOwnership reads SpectroCloud's groups, but the scope does not request 'groups'`);
    }
  });
  if (problems.length > 0) return failed('scope', `scope '${settings.scope}': ${[...new Set(problems)].join('; ')}`, FIXES.scope);
  return passed('scope', `'${settings.scope}' has what the ${entries.length} sign-in resolver(s) read`);
}
