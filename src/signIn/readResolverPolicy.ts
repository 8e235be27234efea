import type { Config } from '@backstage/config';
import { SpectroCloudConfigError } from '../errors';
import type { GroupsAsOwnershipOptions } from './groupOwnership';

const ENTITY_NAME = /^[a-z0-9]([a-z0-9_.-]{0,61}[a-z0-9])?$/i;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

export interface ResolverPolicy {
  allowedDomains?: string[];
  dangerouslyAllowSignInWithoutUserInCatalog?: boolean;
  groupsAsOwnership?: GroupsAsOwnershipOptions;
  annotation?: string;
}

/** The options of one `signIn.resolvers[i]` entry; every mistake names its path and the fix. */
export function readResolverPolicy(entry: Config, at: string, accepts: { annotation: boolean }): ResolverPolicy {
  const known = ['resolver', 'allowedDomains', 'dangerouslyAllowSignInWithoutUserInCatalog', 'groupsAsOwnership', ...(accepts.annotation ? ['annotation'] : [])];
  for (const key of entry.keys()) {
    if (!known.includes(key)) {
      throw new SpectroCloudConfigError(`Unknown key '${at}.${key}'. Valid keys of a resolver entry are: ${known.join(', ')}.`, `${at}.${key}`);
    }
  }
  const read = <T>(key: string, fn: () => T, expected: string): T => {
    try {
      return fn();
    } catch {
      throw new SpectroCloudConfigError(`Invalid type for '${at}.${key}'. Expected ${expected}.`, `${at}.${key}`);
    }
  };

  const allowedDomains = read('allowedDomains', () => entry.getOptionalStringArray('allowedDomains'), 'a list of domains, e.g. [example.com]');
  if (allowedDomains?.length === 0) {
    throw new SpectroCloudConfigError(`'${at}.allowedDomains' is empty, which would refuse everyone. List the domains, or remove the key.`, `${at}.allowedDomains`);
  }
  for (const domain of allowedDomains ?? []) {
    if (!DOMAIN.test(domain)) {
      throw new SpectroCloudConfigError(`Invalid domain '${domain}' in '${at}.allowedDomains'. Write bare domains such as example.com (no '@', no scheme).`, `${at}.allowedDomains`);
    }
  }

  const dangerouslyAllowSignInWithoutUserInCatalog = read(
    'dangerouslyAllowSignInWithoutUserInCatalog',
    () => entry.getOptionalBoolean('dangerouslyAllowSignInWithoutUserInCatalog'),
    'true or false',
  );

  let groupsAsOwnership: GroupsAsOwnershipOptions | undefined;
  if (entry.has('groupsAsOwnership')) {
    const raw = entry.getOptional('groupsAsOwnership');
    if (raw === true) groupsAsOwnership = {};
    else if (raw !== false) {
      const groups = read('groupsAsOwnership', () => entry.getConfig('groupsAsOwnership'), 'true, false or { namespace, onlyExisting }');
      for (const key of groups.keys()) {
        if (!['namespace', 'onlyExisting'].includes(key)) {
          throw new SpectroCloudConfigError(`Unknown key '${at}.groupsAsOwnership.${key}'. Valid keys: namespace, onlyExisting.`, `${at}.groupsAsOwnership.${key}`);
        }
      }
      const namespace = read('groupsAsOwnership.namespace', () => groups.getOptionalString('namespace'), 'a catalog namespace');
      if (namespace !== undefined && !ENTITY_NAME.test(namespace)) {
        throw new SpectroCloudConfigError(`Invalid '${at}.groupsAsOwnership.namespace' value '${namespace}'. Use a catalog namespace such as default.`, `${at}.groupsAsOwnership.namespace`);
      }
      const onlyExisting = read('groupsAsOwnership.onlyExisting', () => groups.getOptionalBoolean('onlyExisting'), 'true or false');
      groupsAsOwnership = { namespace, onlyExisting };
    }
  }

  const annotation = accepts.annotation ? read('annotation', () => entry.getOptionalString('annotation'), 'an annotation key') : undefined;
  return { allowedDomains, dangerouslyAllowSignInWithoutUserInCatalog, groupsAsOwnership, annotation };
}
