import type { AuthorizationRequestParams } from './types';

/** Query or form parameters as express parsed them. */
export type Params = Record<string, unknown>;

/** A single parameter's text. Repeated parameters arrive as arrays; OAuth forbids them, so they count as absent. */
export function textParam(params: Params, name: string): string | undefined {
  const value = params[name];
  return typeof value === 'string' ? value : undefined;
}

/** A copy of the parameters that arrived, strings and lists of strings only, for tests to inspect. */
export function snapshotParams(params: Params): AuthorizationRequestParams {
  const copy: AuthorizationRequestParams = {};
  for (const [name, value] of Object.entries(params)) {
    if (typeof value === 'string') copy[name] = value;
    else if (Array.isArray(value) && value.every(v => typeof v === 'string')) copy[name] = [...value];
  }
  return copy;
}
