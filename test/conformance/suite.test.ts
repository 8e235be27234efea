import { describe } from 'vitest';
import { BACKENDS } from './backends';
import { basicRp, clientSecretBasic } from './basicRp';
import { configRp } from './configRp';
import { issuerIdentification } from './issuerIdentification';
import { refreshTokens } from './refreshToken';
import { rpInitiatedLogout } from './rpInitiatedLogout';

/*
 * The conformance suite: every plan against every backend in BACKENDS, in
 * one file so Backstage is loaded once. Each plan shares one test OP and
 * one backend across its cases where the cases allow.
 */
for (const backend of BACKENDS) {
  describe(`against the ${backend.name}`, () => {
    basicRp(backend);
    clientSecretBasic(backend);
    configRp(backend);
    refreshTokens(backend);
    rpInitiatedLogout(backend);
    issuerIdentification(backend);
  });
}
