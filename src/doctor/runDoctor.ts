import type { Config } from '@backstage/config';
import { failed, type CheckResult } from './DoctorCheck';
import { checkBaseUrls } from './checks/baseUrlCheck';
import { checkCa } from './checks/caCheck';
import { checkCallbackRegistration } from './checks/callbackRegistrationCheck';
import { checkCallbackUrl } from './checks/callbackUrlCheck';
import { checkClientCredentials } from './checks/clientCredentialsCheck';
import { checkClockSkew } from './checks/clockSkewCheck';
import { checkConcurrentRefresh } from './checks/concurrentRefreshCheck';
import { checkConfig } from './checks/configCheck';
import { checkCors } from './checks/corsCheck';
import { checkDiscovery } from './checks/discoveryCheck';
import { checkJwks } from './checks/jwksCheck';
import { checkProxy } from './checks/proxyCheck';
import { checkScope } from './checks/scopeCheck';
import { checkSigningKeyRules } from './checks/signingKeyRulesCheck';
import { checkSessionSecret } from './checks/sessionSecretCheck';
import { checkTokenStore } from './checks/tokenStoreCheck';
import { createOutboundClient } from '../http/createOutboundClient';
import { collectSecrets } from './collectSecrets';
import { FIXES } from './fixes';
import { loadDeploymentConfig } from './loadDeploymentConfig';
import type { DoctorArgs } from './parseDoctorArgs';

/**
 * Every check, in the order a sign-in meets them. Each result is reported
 * as soon as it is known; later checks that need an earlier one's outcome
 * (the parsed settings) are not run when it failed.
 */
export async function runDoctor(
  args: DoctorArgs,
  report: (result: CheckResult, secrets: readonly string[]) => void,
  env: NodeJS.ProcessEnv = process.env,
): Promise<boolean> {
  let allOk = true;
  let secrets: string[] = [];
  const emit = (result: CheckResult) => {
    if (!result.ok) allOk = false;
    report(result, secrets);
  };
  let config: Config;
  try {
    config = await loadDeploymentConfig(args.configFiles);
  } catch (error) {
    // First line only: a parser's excerpt of the file could show a secret written in it.
    emit(failed('config-files', (error as Error).message.split('\n')[0]!, FIXES.configFiles));
    return false;
  }
  secrets = collectSecrets(config, env);
  const { result, deployment } = checkConfig(config, { providerId: args.providerId, environment: args.environment });
  emit(result);
  if (!deployment) return false;

  emit(checkCallbackUrl(deployment));
  emit(checkBaseUrls(deployment));
  emit(checkCors(deployment));
  emit(checkSessionSecret(deployment));
  emit(checkScope(deployment));
  emit(await checkTokenStore(deployment));
  emit(checkConcurrentRefresh(deployment));
  emit(checkCa(deployment, env));
  // The provider's own outbound client: deadline, size limit, proxy and CA as sign-ins will have them.
  const http = createOutboundClient(deployment.settings);
  try {
    const { results, endpoints } = await checkDiscovery(deployment, http);
    results.forEach(emit);
    emit(await checkProxy(deployment, endpoints, env));
    emit(await checkJwks(deployment, http, endpoints));
    emit(await checkSigningKeyRules(deployment, http, endpoints));
    emit(await checkClockSkew(deployment, http, endpoints));
    emit(await checkClientCredentials(deployment, http, endpoints));
    emit(await checkCallbackRegistration(deployment, http));
    // Loaded last: a broken config never needs the sign-in machinery.
    const { checkStartUrl } = await import('./checks/startUrlCheck');
    emit(await checkStartUrl(deployment));
  } finally {
    http.close();
  }
  return allOk;
}
