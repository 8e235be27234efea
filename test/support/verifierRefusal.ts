import { expect } from 'vitest';
import { SpectroCloudTokenError } from '../../src/errors';
import type { IdTokenVerifier } from '../../src/oidc/IdTokenVerifier';

/** The error `verifier.verify` refuses `token` with; fails the test if it accepts it or throws anything else. */
export async function verifierRefusal(
  verifier: IdTokenVerifier,
  token: unknown,
  expected: Parameters<IdTokenVerifier['verify']>[1],
): Promise<SpectroCloudTokenError> {
  const error = await verifier.verify(token, expected).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SpectroCloudTokenError);
  return error as SpectroCloudTokenError;
}
