import { SpectroCloudAuthError, SpectroCloudIdpError, SpectroCloudNetworkError } from '../errors';
import { sanitizeIdpText } from './sanitizeIdpText';

type ParseErrorResponse = (body: string, status: number) => Error | null;

/**
 * The one place where passport-oauth2 and node-oauth failures become ours:
 * "SpectroCloud said no" (an RFC 6749 error) stays apart from "we could not
 * reach it". Response bodies never reach the message.
 */
export function translateStrategyError(error: unknown, parse?: ParseErrorResponse): SpectroCloudAuthError {
  if (error instanceof SpectroCloudAuthError) return error;
  const named = error as { name?: string; code?: string; message?: string; oauthError?: unknown; statusCode?: number; data?: unknown };

  if (named?.name === 'AuthorizationError') {
    const description = sanitizeIdpText(named.message);
    const code = sanitizeIdpText(named.code) ?? 'server_error';
    return new SpectroCloudIdpError(
      'ERR_IDP_ERROR',
      `SpectroCloud returned an error to the sign-in callback (${code}${description ? `: ${description}` : ''})`,
      { error: code, errorDescription: description, cause: error },
    );
  }
  if (named?.name === 'InternalOAuthError' && named.oauthError !== undefined) {
    return translateStrategyError(named.oauthError, parse);
  }
  if (typeof named?.statusCode === 'number') {
    const parsed = typeof named.data === 'string' && parse ? safeParse(parse, named.data, named.statusCode) : null;
    if (parsed instanceof SpectroCloudAuthError) return parsed;
    return new SpectroCloudIdpError('ERR_TOKEN_ENDPOINT_STATUS', `SpectroCloud's token endpoint answered HTTP ${named.statusCode}`, {
      error: 'server_error',
      status: named.statusCode,
    });
  }
  if (typeof named?.code === 'string') {
    return new SpectroCloudNetworkError('ERR_TOKEN_ENDPOINT_UNREACHABLE', `Could not reach SpectroCloud's token endpoint (${named.code})`, { cause: error });
  }
  if (named?.message === 'Failed to obtain access token') {
    return new SpectroCloudNetworkError('ERR_TOKEN_RESPONSE_INVALID', "SpectroCloud's token endpoint returned no access token", { cause: error });
  }
  return SpectroCloudAuthError.from(error);
}

function safeParse(parse: ParseErrorResponse, body: string, status: number): Error | null {
  try {
    return parse(body, status);
  } catch {
    return null;
  }
}
