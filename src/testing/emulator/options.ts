import { readRenamedOption } from './deprecatedNames';
import type { EmulatorClient, SpectroCloudEmulatorOptions } from './types';

/** Options with every default filled in and every client checked. */
export interface ResolvedOptions {
  host: string;
  port: number;
  tenantId: string;
  clients: EmulatorClient[];
  idTokenTtlSeconds: number;
  paletteTokenTtlSeconds: number;
  paletteTokenAsCode: boolean;
  discovery: boolean;
  requirePkce: boolean;
  autoApprove: boolean;
  authorizationResponseIss: boolean;
  refreshTokenGrant: boolean;
  logger: { info(msg: string): void };
  /** Milliseconds since the epoch: the one time source of every route and store. */
  clock: () => number;
}

const silent = { info() {} };

/** Fails fast, naming the option, so a misconfigured test says what to fix. */
export function resolveOptions(options: SpectroCloudEmulatorOptions): ResolvedOptions {
  if (!Array.isArray(options?.clients) || options.clients.length === 0) {
    throw new Error('SpectroCloud emulator: option "clients" must list at least one client');
  }
  options.clients.forEach(checkClient);
  const ttl = options.idTokenTtlSeconds ?? 3600;
  if (!Number.isInteger(ttl) || ttl <= 0) {
    throw new Error('SpectroCloud emulator: option "idTokenTtlSeconds" must be a positive integer');
  }
  // Options renamed in issue 25 (one vocabulary): the released names are still read.
  const paletteTtl = readRenamedOption(options, 'paletteTokenTtlSeconds', 'sessionTokenTtlSeconds') ?? ttl;
  if (!Number.isInteger(paletteTtl) || paletteTtl <= 0) {
    const name = options.paletteTokenTtlSeconds === undefined ? 'sessionTokenTtlSeconds' : 'paletteTokenTtlSeconds';
    throw new Error(`SpectroCloud emulator: option "${name}" must be a positive integer`);
  }
  if (options.clock !== undefined && typeof options.clock !== 'function') {
    throw new Error('SpectroCloud emulator: option "clock" must be a function returning milliseconds since the epoch');
  }
  const tenantId = options.tenantId ?? 'tenant-local';
  if (!/^[A-Za-z0-9._-]+$/.test(tenantId)) {
    throw new Error('SpectroCloud emulator: option "tenantId" may only contain letters, digits, ".", "_" and "-"');
  }
  return {
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    tenantId,
    clients: options.clients.map(c => ({
      ...c,
      redirectUris: [...c.redirectUris],
      postLogoutRedirectUris: [...(c.postLogoutRedirectUris ?? [])],
    })),
    idTokenTtlSeconds: ttl,
    paletteTokenTtlSeconds: paletteTtl,
    paletteTokenAsCode: readRenamedOption(options, 'paletteTokenAsCode', 'sessionTokenAsCode') ?? false,
    discovery: options.discovery ?? true,
    requirePkce: options.requirePkce ?? false,
    autoApprove: options.autoApprove ?? false,
    authorizationResponseIss: options.authorizationResponseIss ?? false,
    refreshTokenGrant: options.refreshTokenGrant ?? false,
    logger: options.logger ?? silent,
    // Looked up at each call, so fake timers (vi.setSystemTime) move the emulator too.
    clock: options.clock ?? (() => Date.now()),
  };
}

function checkClient(client: EmulatorClient, index: number): void {
  const where = `SpectroCloud emulator: option "clients[${index}]`;
  if (!client?.clientId) throw new Error(`${where}.clientId" is required`);
  if (!client.clientSecret) throw new Error(`${where}.clientSecret" is required`);
  if (!Array.isArray(client.redirectUris) || client.redirectUris.length === 0) {
    throw new Error(`${where}.redirectUris" must list at least one absolute URL`);
  }
  for (const uri of client.redirectUris) {
    if (!isAbsoluteUrl(uri)) throw new Error(`${where}.redirectUris" contains "${uri}", which is not an absolute URL`);
  }
  const postLogout = client.postLogoutRedirectUris;
  if (postLogout === undefined) return;
  if (!Array.isArray(postLogout)) throw new Error(`${where}.postLogoutRedirectUris" must be a list of absolute URLs`);
  for (const uri of postLogout) {
    if (!isAbsoluteUrl(uri)) throw new Error(`${where}.postLogoutRedirectUris" contains "${uri}", which is not an absolute URL`);
  }
}

// Not URL.canParse: the package still supports Node 18.
function isAbsoluteUrl(value: string): boolean {
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}
