import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/*
 * docs/conformance.md and the suite say the same thing: every client test
 * module of the OpenID Foundation's suite has one row, every "pass" row has a
 * test of that name here, and every test named after a module has a "pass" row.
 */
const ROOT = join(__dirname, '../..');

/** The `oidcc-client-test*` modules of openid-certification/conformance-suite (src/main/java/net/openid/conformance/openid/client/). */
const OIDF_CLIENT_MODULES = [
  'oidcc-client-test', 'oidcc-client-test-3rd-party-init-login', 'oidcc-client-test-aggregated-claims',
  'oidcc-client-test-client-secret-basic', 'oidcc-client-test-discovery-issuer-mismatch', 'oidcc-client-test-discovery-jwks-uri-keys',
  'oidcc-client-test-discovery-openid-config', 'oidcc-client-test-discovery-webfinger-acct', 'oidcc-client-test-discovery-webfinger-url',
  'oidcc-client-test-distributed-claims', 'oidcc-client-test-dynamic-registration', 'oidcc-client-test-form-post-error',
  'oidcc-client-test-idtoken-sig-none', 'oidcc-client-test-idtoken-sig-rs256', 'oidcc-client-test-invalid-athash',
  'oidcc-client-test-invalid-aud', 'oidcc-client-test-invalid-chash', 'oidcc-client-test-invalid-iss',
  'oidcc-client-test-invalid-sig-es256', 'oidcc-client-test-invalid-sig-hs256', 'oidcc-client-test-invalid-sig-rs256',
  'oidcc-client-test-kid-absent-multiple-jwks', 'oidcc-client-test-kid-absent-single-jwks', 'oidcc-client-test-missing-athash',
  'oidcc-client-test-missing-aud', 'oidcc-client-test-missing-chash', 'oidcc-client-test-missing-iat',
  'oidcc-client-test-missing-sub', 'oidcc-client-test-mtls-endpoint-aliases', 'oidcc-client-test-nonce-invalid',
  'oidcc-client-test-nonce-unless-code-flow', 'oidcc-client-test-refresh-token', 'oidcc-client-test-refresh-token-invalid-issuer',
  'oidcc-client-test-refresh-token-invalid-sub', 'oidcc-client-test-request-uri-signed-none', 'oidcc-client-test-request-uri-signed-rs256',
  'oidcc-client-test-rp-backchannel-rpinitlogout', 'oidcc-client-test-rp-backchannel-rpinitlogout-alg-none',
  'oidcc-client-test-rp-backchannel-rpinitlogout-no-event', 'oidcc-client-test-rp-backchannel-rpinitlogout-with-nonce',
  'oidcc-client-test-rp-backchannel-rpinitlogout-wrong-alg', 'oidcc-client-test-rp-backchannel-rpinitlogout-wrong-aud',
  'oidcc-client-test-rp-backchannel-rpinitlogout-wrong-event', 'oidcc-client-test-rp-backchannel-rpinitlogout-wrong-iss',
  'oidcc-client-test-rp-frontchannel-opinitlogout', 'oidcc-client-test-rp-frontchannel-rpinitlogout', 'oidcc-client-test-rp-init-logout',
  'oidcc-client-test-rp-init-logout-no-state', 'oidcc-client-test-rp-init-logout-other-state', 'oidcc-client-test-scope-userinfo-claims',
  'oidcc-client-test-session-management', 'oidcc-client-test-signing-key-rotation', 'oidcc-client-test-signing-key-rotation-just-before-signing',
  'oidcc-client-test-userinfo-bearer-body', 'oidcc-client-test-userinfo-bearer-header', 'oidcc-client-test-userinfo-invalid-sub',
  'oidcc-client-test-userinfo-signed',
];

interface Row {
  name: string;
  plan: string;
  result: string;
}

function tableRows(): Row[] {
  const doc = readFileSync(join(ROOT, 'docs/conformance.md'), 'utf8');
  return doc
    .split('\n')
    .filter(line => line.startsWith('| `oidcc-client-test'))
    .map(line => {
      const cells = line.split('|').slice(1, -1).map(cell => cell.trim());
      return { name: cells[0].replace(/`/g, ''), plan: cells[1], result: cells[3] };
    });
}

/** The module names the suite's tests carry: `it('<module>: ...')`, or `it.skipIf(<backend>)('<module>: ...')` where one backend lacks it (the row says which). */
function testedModules(): string[] {
  const dir = join(ROOT, 'test/conformance');
  return readdirSync(dir)
    .filter(file => file.endsWith('.ts'))
    .flatMap(file => [...readFileSync(join(dir, file), 'utf8').matchAll(/\bit(?:\.skipIf\([^)]*\))?\(\s*'(oidcc-client-test[a-z0-9-]*):/g)].map(match => match[1]));
}

describe('docs/conformance.md matches the conformance suite', () => {
  const rows = tableRows();
  const tested = testedModules();

  it('has one row per OpenID Foundation client module, and no other', () => {
    expect(rows.map(row => row.name).sort()).toEqual([...OIDF_CLIENT_MODULES].sort());
  });

  it('says "pass" exactly for the modules the suite tests by name', () => {
    const passing = rows.filter(row => row.result === 'pass').map(row => row.name);
    expect(passing.sort()).toEqual([...new Set(tested)].sort());
  });

  it('gives every other row a reason for "not applicable"', () => {
    for (const row of rows.filter(row => row.result !== 'pass')) {
      expect(row.result, row.name).toMatch(/^not applicable: .{10,}/);
    }
  });

  it('names each module in one test only, and at least 20 of them', () => {
    expect(tested.length).toBe(new Set(tested).size);
    expect(tested.length).toBeGreaterThanOrEqual(20);
  });

  it('covers the four plans the issue names', () => {
    const plans = new Set(rows.filter(row => row.result === 'pass').flatMap(row => row.plan.split(', ')));
    for (const plan of ['Basic', 'Config', 'Refresh', 'RP logout']) expect(plans).toContain(plan);
  });
});
