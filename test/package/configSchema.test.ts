import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigReader } from '@backstage/config';
import type { ConfigSchema } from '@backstage/config-loader';
import type { JsonObject } from '@backstage/types';
import { beforeAll, describe, expect, it } from 'vitest';
import { spectrocloud } from '../../src';
import { ENVIRONMENT_KEYS } from '../../src/config/environmentKeys';
import { readTokenStoreConfig } from '../../src/paletteTokens/stores/config';
import { readResolverPolicy } from '../../src/signIn/readResolverPolicy';
import { loadPackageConfigSchema } from '../support/configSchema';

/*
 * config.d.ts loaded the way a Backstage backend loads it: @backstage/config-loader
 * compiles the package's `configSchema`, validates app-config against it and
 * classifies every value (what its secret enumerator, and so the logger's
 * redaction, treats as secret). Then the key lists of config.d.ts, the readers
 * and docs/configuration.md are held against one another.
 */
const ROOT = join(__dirname, '../..');
const KEY = '0123456789abcdef0123456789abcdef0123456789a=';

let schema: ConfigSchema;
let providerSchema: JsonSchema;
beforeAll(async () => {
  schema = await loadPackageConfigSchema();
  const [ours] = schema.serialize().schemas as unknown as Array<{ value: JsonSchema }>;
  providerSchema = at(ours.value, 'auth', 'providers', 'spectrocloud');
}, 60_000);

interface JsonSchema {
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  enum?: string[];
  required?: string[];
}

function at(node: JsonSchema, ...keys: string[]): JsonSchema {
  return keys.reduce<JsonSchema>((current, key) => {
    const next = current.properties?.[key];
    if (!next) throw new Error(`no '${key}' in the schema`);
    return next;
  }, node);
}

const environment = (): JsonSchema => providerSchema.additionalProperties as JsonSchema;

/** A block with every key of config.d.ts set. */
function fullEnvironment(): JsonObject {
  return {
    clientId: 'backstage',
    clientSecret: 'client-secret-value',
    authorizationUrl: 'https://console.spectrocloud.com/v1/oidc/tenant/t1/auth',
    callbackUrl: 'https://backstage.example.com/api/auth/spectrocloud/handler/frame',
    scope: 'openid profile email',
    additionalScopes: ['groups'],
    prompt: 'login',
    tokenUrl: 'https://console.spectrocloud.com/v1/oidc/tenant/t1/token',
    jwksUrl: 'https://console.spectrocloud.com/v1/oidc/tenant/t1/keys',
    metadataUrl: 'https://console.spectrocloud.com/v1/oidc/tenant/t1/.well-known/openid-configuration',
    issuer: 'https://console.spectrocloud.com/v1/oidc/tenant/t1',
    clockTolerance: 30,
    timeout: 10000,
    tokenEndpointAuthMethod: 'client_secret_basic',
    algorithms: ['RS256'],
    startUrlSearchParams: { acr_values: 'mfa', max_age: 300 },
    signOutOfSpectroCloud: true,
    sessionDuration: { hours: 8 },
    maxResponseBytes: 1048576,
    maxIdTokenBytes: 16384,
    proxy: 'http://user:proxy-password@proxy.example.com:3128',
    ca: '-----BEGIN CERTIFICATE-----',
    caFile: '/etc/ssl/private-ca.pem',
    discoveryRefreshInterval: 3600,
    jwksCacheMaxAge: 600,
    jwksRefetchInterval: 60,
    signIn: {
      resolvers: [
        { resolver: 'emailMatchingUserEntityAnnotation', annotation: 'example.com/email', allowedDomains: ['example.com'] },
        { resolver: 'emailLocalPartMatchingUserEntityName', dangerouslyAllowSignInWithoutUserInCatalog: true, groupsAsOwnership: { namespace: 'default', onlyExisting: false } },
      ],
    },
  };
}

function fullTokenStore(): JsonObject {
  return {
    type: 'redis',
    maxEntries: 10,
    redis: {
      url: 'rediss://backstage:redis-url-password@redis.internal:6380/0',
      sentinels: [{ host: 'sentinel-0', port: 26379 }],
      name: 'mymaster',
      cluster: { nodes: [{ host: 'redis-0', port: 6379 }] },
      username: 'backstage',
      password: 'redis-password',
      sentinelUsername: 'sentinel',
      sentinelPassword: 'sentinel-password',
      db: 0,
      tls: { ca: '-----BEGIN CERTIFICATE-----', servername: 'redis.internal' },
      waitForReplicas: 1,
      keyPrefix: 'spectrocloud:session:',
    },
    encryptionKey: KEY,
    previousEncryptionKeys: [KEY],
    renewSessionTokens: true,
    apiTokenCookie: true,
  };
}

const appConfig = (provider: JsonObject): JsonObject => ({ auth: { environment: 'production', providers: { spectrocloud: provider } } });

function validate(provider: JsonObject): void {
  schema.process([{ data: appConfig(provider), context: 'app-config.yaml' }]);
}

/** What Backstage's secret enumerator sees: the values of the config kept under `visibility: ['secret']`. */
function secretPaths(provider: JsonObject): string[] {
  const [kept] = schema.process([{ data: appConfig(provider), context: 'app-config.yaml' }], { visibility: ['secret'], ignoreSchemaErrors: true });
  const paths: string[] = [];
  const walk = (value: unknown, path: string) => {
    if (value && typeof value === 'object') for (const [key, child] of Object.entries(value)) walk(child, Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}`);
    else paths.push(path.slice(1));
  };
  walk(kept.data, '');
  return paths.sort();
}

describe('config.d.ts as Backstage loads it', () => {
  it('accepts a correct config with every key set, next to tokenStore', () => {
    expect(() => validate({ tokenStore: fullTokenStore(), production: fullEnvironment() })).not.toThrow();
    expect(() => validate({ development: { clientId: 'a', clientSecret: 'b', authorizationUrl: 'http://localhost:8080/auth' } })).not.toThrow();
  });

  it.each(['clientId', 'clientSecret', 'authorizationUrl'])('refuses an environment block without %s, naming the block', key => {
    const block = fullEnvironment();
    delete block[key];
    expect(() => validate({ tokenStore: { type: 'memory' }, production: block })).toThrow(
      `Config must have required property '${key}' { missingProperty=${key} } at /auth/providers/spectrocloud/production`,
    );
  });

  it.each([
    ['production', 'timeout', 'soon', 'must be number'],
    ['production', 'scope', { openid: true }, 'must be string'],
    ['production', 'prompt', 'always', 'must be equal to one of the allowed values'],
    ['production', 'signOutOfSpectroCloud', 'perhaps', 'must be boolean'],
    ['tokenStore', 'type', 'redisx', 'must be equal to one of the allowed values'],
    ['tokenStore', 'maxEntries', 'many', 'must be number'],
    ['tokenStore', 'apiTokenCookie', 'yes', 'must be boolean'],
  ])('refuses a wrong type: %s.%s = %j', (block, key, value, message) => {
    const provider: JsonObject = { tokenStore: fullTokenStore(), production: fullEnvironment() };
    (provider[block] as JsonObject)[key] = value as never;
    expect(() => validate(provider)).toThrow(`Config ${message}`);
    expect(() => validate(provider)).toThrow(`at /auth/providers/spectrocloud/${block}/${key}`);
  });

  it('refuses a wrong type deep in tokenStore.redis and in signIn, with the path', () => {
    const store = fullTokenStore();
    (store.redis as JsonObject).db = 'zero';
    expect(() => validate({ tokenStore: store })).toThrow('at /auth/providers/spectrocloud/tokenStore/redis/db');
    const block = fullEnvironment();
    (block.signIn as { resolvers: JsonObject[] }).resolvers[0].resolver = 'emailMatchingAnything';
    expect(() => validate({ production: block })).toThrow('at /auth/providers/spectrocloud/production/signIn/resolvers/0/resolver');
  });

  it('marks every secret-bearing value secret, and nothing else', () => {
    expect(secretPaths({ tokenStore: fullTokenStore(), production: fullEnvironment() })).toEqual(
      [
        'auth.providers.spectrocloud.production.clientSecret',
        'auth.providers.spectrocloud.production.proxy',
        'auth.providers.spectrocloud.tokenStore.encryptionKey',
        'auth.providers.spectrocloud.tokenStore.previousEncryptionKeys[0]',
        'auth.providers.spectrocloud.tokenStore.redis.password',
        'auth.providers.spectrocloud.tokenStore.redis.sentinelPassword',
        'auth.providers.spectrocloud.tokenStore.redis.url',
      ].sort(),
    );
  });
});

describe('one key list: config.d.ts, the readers, docs/configuration.md', () => {
  const keys = (node: JsonSchema) => Object.keys(node.properties ?? {}).sort();
  const resolverEntry = () => at(environment(), 'signIn', 'resolvers').items as JsonSchema;

  it('environment keys: config.d.ts and readEnvironmentConfig know the same', () => {
    expect(keys(environment())).toEqual([...ENVIRONMENT_KEYS].sort());
  });

  it('tokenStore keys: config.d.ts and readTokenStoreConfig know the same', () => {
    const store = at(providerSchema, 'tokenStore');
    const known = (tokenStore: JsonObject) => knownKeysInMessage(() => readTokenStoreConfig(new ConfigReader(appConfig({ tokenStore }))));
    const byType = [
      known({ type: 'memory', bogus: 1 }),
      known({ type: 'backstage-cache', bogus: 1 }),
      known({ type: 'redis', redis: { url: 'redis://redis:6379' }, bogus: 1 }),
    ];
    expect(keys(store)).toEqual([...new Set(byType.flat())].sort());
    expect(keys(at(store, 'redis'))).toEqual(known({ type: 'redis', redis: { url: 'redis://redis:6379', bogus: 1 } }).sort());
  });

  it('resolver entries: config.d.ts, readResolverPolicy and spectrocloud.resolvers know the same', () => {
    const entry = new ConfigReader({ resolver: 'emailMatchingUserEntityAnnotation', bogus: 1 });
    expect(keys(resolverEntry())).toEqual(knownKeysInMessage(() => readResolverPolicy(entry, 'signIn.resolvers[0]', { annotation: true })).sort());
    expect([...(at(resolverEntry(), 'resolver').enum ?? [])].sort()).toEqual(Object.keys(spectrocloud.resolvers).sort());
  });

  const docs = readFileSync(join(ROOT, 'docs/configuration.md'), 'utf8');
  const environmentRows = tableRows(docs, 'Per environment, under');
  const tokenStoreRows = tableRows(docs, 'Once per provider, under');

  it('every documented key is listed once and exists in config.d.ts', () => {
    for (const [rows, root] of [[environmentRows, environment()], [tokenStoreRows, at(providerSchema, 'tokenStore')]] as const) {
      const documented = rows.map(row => row.key);
      expect(documented.filter((key, i) => documented.indexOf(key) !== i), 'listed twice').toEqual([]);
      for (const key of documented) expect(() => resolvePath(root, key), key).not.toThrow();
    }
  });

  it('every key of config.d.ts has a row (environment, resolver entry, tokenStore, tokenStore.redis)', () => {
    const envDocs = environmentRows.map(row => row.key);
    expect(keys(environment()).filter(key => !envDocs.some(doc => doc === key || doc.startsWith(`${key}.`)))).toEqual([]);
    expect(keys(resolverEntry()).filter(key => !envDocs.includes(`signIn.resolvers[].${key}`))).toEqual([]);
    const storeDocs = tokenStoreRows.map(row => row.key);
    const store = at(providerSchema, 'tokenStore');
    expect(keys(store).filter(key => key !== 'redis' && !storeDocs.includes(key))).toEqual([]);
    expect(keys(at(store, 'redis')).filter(key => !storeDocs.some(doc => doc === `redis.${key}` || doc.startsWith(`redis.${key}.`)))).toEqual([]);
  });

  it("the Required column says what config.d.ts requires", () => {
    expect(environmentRows.filter(row => row.required === 'yes').map(row => row.key).sort()).toEqual([...(environment().required ?? [])].sort());
  });
});

/** The key list a reader's "unknown key" error names. */
function knownKeysInMessage(read: () => unknown): string[] {
  try {
    read();
  } catch (error) {
    const match = /(?:Known settings here are|Valid keys of a resolver entry are|Valid keys are): ([^.]+)\./.exec((error as Error).message);
    if (match) return match[1].split(', ');
    throw error;
  }
  throw new Error('the reader accepted an unknown key');
}

/** Rows of the table after the paragraph starting with `intro`: key cells split at ", ", and the Required column. */
function tableRows(markdown: string, intro: string): Array<{ key: string; required?: string }> {
  const start = markdown.indexOf(intro);
  expect(start).toBeGreaterThan(-1);
  const lines = markdown.slice(start).split('\n').slice(1);
  const table = lines.slice(lines.findIndex(line => line.startsWith('|')));
  const rows = table.slice(0, table.findIndex(line => !line.startsWith('|'))).slice(2);
  const header = table[0].split('|').map(cell => cell.trim());
  const requiredColumn = header.indexOf('Required');
  return rows.flatMap(row => {
    const cells = row.split('|').map(cell => cell.trim());
    return [...cells[1].matchAll(/`([^`]+)`/g)].map(([, key]) => ({ key, required: requiredColumn > 0 ? cells[requiredColumn] : undefined }));
  });
}

/** `signIn.resolvers[].allowedDomains` through properties and items. */
function resolvePath(root: JsonSchema, path: string): JsonSchema {
  return path.split('.').reduce<JsonSchema>((node, part) => {
    const name = part.replace('[]', '');
    const next = node.properties?.[name];
    if (!next) throw new Error(`no '${name}'`);
    if (!part.endsWith('[]')) return next;
    if (!next.items) throw new Error(`'${name}' is not a list`);
    return next.items;
  }, root);
}
