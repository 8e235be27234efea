import { ConfigReader } from '@backstage/config';
import { describe, expect, it } from 'vitest';
import { formatResult, failed } from '../../src/doctor/DoctorCheck';
import { collectSecrets } from '../../src/doctor/collectSecrets';

const config = new ConfigReader({
  auth: {
    providers: {
      spectrocloud: {
        development: {
          clientSecret: 'client-secret-value-1',
          tokenUrl: 'https://tenant.example.com/token',
          tokenEndpointAuthMethod: 'client_secret_post',
        },
        tokenStore: {
          encryptionKey: 'encryption-key-value',
          previousEncryptionKeys: ['previous-key-value'],
          redis: { url: 'redis://:redis-password-1@redis:6379', keyPrefix: 'spectro:' },
        },
      },
    },
  },
});

describe('collectSecrets', () => {
  it('finds secret-named values and passwords inside URLs, not URLs or method names', () => {
    const secrets = collectSecrets(config, { HTTPS_PROXY: 'http://user:proxy-password-1@proxy:3128' });
    expect(secrets.sort()).toEqual(
      ['client-secret-value-1', 'encryption-key-value', 'previous-key-value', 'proxy-password-1', 'redis-password-1'].sort(),
    );
  });

  it('masks them, plain or URL-encoded, in a printed line', () => {
    const line = formatResult(failed('config', 'saw client-secret-value-1 and redis%3Apassword', 'fix it'), ['client-secret-value-1', 'redis:password']);
    expect(line).toBe('fail config: saw *** and *** -> fix it');
  });
});
