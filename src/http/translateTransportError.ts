import { SpectroCloudAuthError, SpectroCloudNetworkError, type SpectroCloudEndpoint } from '../errors';

/** How each endpoint is named in messages: what it is, never where it is. */
export const ENDPOINT_LABEL: Readonly<Record<SpectroCloudEndpoint, string>> = {
  discovery: "SpectroCloud's discovery document",
  token: "SpectroCloud's token endpoint",
  jwks: "SpectroCloud's signing keys (JWKS endpoint)",
  userinfo: "SpectroCloud's userinfo endpoint",
  revocation: "SpectroCloud's revocation endpoint",
  authorization: "SpectroCloud's authorization endpoint",
  paletteApi: "SpectroCloud Palette's API",
};

/** "Could not reach" has a code per endpoint, kept from before the one client existed. */
const UNREACHABLE_CODE = {
  discovery: 'ERR_DISCOVERY',
  token: 'ERR_TOKEN_ENDPOINT_UNREACHABLE',
  jwks: 'ERR_JWKS_UNAVAILABLE',
  userinfo: 'ERR_ENDPOINT_UNREACHABLE',
  revocation: 'ERR_ENDPOINT_UNREACHABLE',
  authorization: 'ERR_ENDPOINT_UNREACHABLE',
  paletteApi: 'ERR_ENDPOINT_UNREACHABLE',
} as const;

const TLS_CODE = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|HOSTNAME|ALTNAME/;
/** Node and OpenSSL codes are upper-case words; anything else is not shown. */
const SAFE_CODE = /^[A-Z][A-Z0-9_]{1,60}$/;
const SAFE_NAME = /^[A-Za-z]{1,40}$/;

export function responseTooLarge(endpoint: SpectroCloudEndpoint, limit: number): SpectroCloudNetworkError {
  return new SpectroCloudNetworkError(
    'ERR_RESPONSE_TOO_LARGE',
    `${ENDPOINT_LABEL[endpoint]} sent an answer larger than ${limit} bytes; it was cut off (raise maxResponseBytes only if SpectroCloud really sends that much)`,
    { endpoint },
  );
}

/**
 * A failed request as one of our errors: which endpoint, and what happened
 * (timed out, refused, reset, TLS, too large). Node's messages name hosts,
 * addresses and ports, so only its error code is shown; the original error
 * stays as `cause` for the backend log's debug level.
 */
export function translateTransportError(
  endpoint: SpectroCloudEndpoint,
  error: unknown,
  timeoutMs: number,
  /** the request went through a proxy: the failure may be the proxy's */
  proxied = false,
): SpectroCloudAuthError {
  if (error instanceof SpectroCloudAuthError) return error;
  const label = ENDPOINT_LABEL[endpoint];
  const named = error as { name?: string; code?: unknown };
  if (named?.name === 'DeadlinePassed') {
    return new SpectroCloudNetworkError('ERR_TIMEOUT', `${label} did not answer within ${timeoutMs} ms; the request was aborted`, {
      endpoint,
      cause: error,
    });
  }
  const code = typeof named?.code === 'string' && SAFE_CODE.test(named.code) ? named.code : undefined;
  if (code && TLS_CODE.test(code)) {
    return new SpectroCloudNetworkError(
      'ERR_TLS',
      `TLS with ${label} failed (${code}): its certificate is not trusted or does not match; add your CA with 'ca' or 'caFile', or NODE_EXTRA_CA_CERTS`,
      { endpoint, cause: error },
    );
  }
  const through = proxied ? ' through the configured proxy (check proxy, HTTPS_PROXY and NO_PROXY)' : '';
  const what = code ?? (typeof named?.name === 'string' && SAFE_NAME.test(named.name) ? named.name : 'network error');
  return new SpectroCloudNetworkError(UNREACHABLE_CODE[endpoint], `Could not reach ${label}${through} (${what})`, {
    endpoint,
    cause: error,
  });
}
