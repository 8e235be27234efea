import { describe, expect, it } from 'vitest';
import { ConfigReader } from '@backstage/config';
import { readEnvironmentConfig } from '../../src/config/readEnvironmentConfig';
import { SpectroCloudConfigError } from '../../src/errors';

const path = 'auth.providers.spectrocloud.development';
const base = {
  clientId: 'id',
  clientSecret: 'secret',
  authorizationUrl: 'https://console.spectrocloud.com/v1/oidc/tenant/abc/auth',
};
const read = (data: Record<string, unknown>) =>
  readEnvironmentConfig(new ConfigReader(data as never), { path, authBaseUrl: 'http://localhost:7007/api/auth', providerId: 'spectrocloud' });

function configError(data: Record<string, unknown>): SpectroCloudConfigError {
  try {
    read(data);
  } catch (error) {
    expect(error).toBeInstanceOf(SpectroCloudConfigError);
    return error as SpectroCloudConfigError;
  }
  throw new Error('expected a config error');
}

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

describe('outbound HTTP settings in the environment config', () => {
  it('has safe defaults: 1 MiB answers, 16 KiB ID tokens, proxy from the environment, hourly discovery, 10 min JWKS, 60 s refetch limit', () => {
    expect(read(base)).toMatchObject({
      maxResponseBytes: 1024 * 1024,
      maxIdTokenBytes: 16 * 1024,
      proxy: 'environment',
      ca: [],
      discoveryRefreshInterval: 3600,
      jwksCacheMaxAge: 600,
      jwksRefetchInterval: 60,
    });
  });

  it('takes a proxy URL, or false to ignore HTTPS_PROXY', () => {
    expect(read({ ...base, proxy: 'http://proxy.example.com:3128' }).proxy).toBe('http://proxy.example.com:3128/');
    expect(read({ ...base, proxy: false }).proxy).toBe(false);
  });

  it('refuses a malformed proxy without echoing it (it may carry credentials)', () => {
    const error = configError({ ...base, proxy: 'http//user:hunter2@proxy' });
    expect(error.message).toContain(`Invalid URL in '${path}.proxy'`);
    expect(error.message).not.toContain('hunter2');
    expect(configError({ ...base, proxy: 'socks5://proxy:1080' }).message).toContain('must be an http:// or https:// proxy URL');
  });

  it('takes extra CAs inline (one or a list) and refuses text that is not PEM', () => {
    expect(read({ ...base, ca: PEM }).ca).toEqual([PEM]);
    expect(read({ ...base, ca: [PEM, PEM] }).ca).toHaveLength(2);
    expect(configError({ ...base, ca: 'not a certificate' }).message).toBe(
      `'${path}.ca' holds no PEM certificate (expected '-----BEGIN CERTIFICATE-----').`,
    );
  });

  it('reads caFile at startup and names the path and the fix when it cannot', () => {
    const error = configError({ ...base, caFile: '/nonexistent/ca.pem' });
    expect(error.message).toBe(`Cannot read '${path}.caFile' (ENOENT). Point it at a PEM file with your CA certificate(s).`);
    expect(error.configKey).toBe(`${path}.caFile`);
  });

  it('bounds the limits and intervals', () => {
    expect(configError({ ...base, maxResponseBytes: 10 }).message).toBe(
      `Invalid '${path}.maxResponseBytes' value 10. Use a number of bytes between 1024 and 67108864.`,
    );
    expect(configError({ ...base, maxIdTokenBytes: -1 }).message).toContain('maxIdTokenBytes');
    expect(configError({ ...base, jwksCacheMaxAge: 0 }).message).toContain('between 1 and 86400');
    expect(read({ ...base, jwksRefetchInterval: 0 }).jwksRefetchInterval).toBe(0);
  });

  it('knows the new keys (an unknown-key error lists them)', () => {
    expect(configError({ ...base, maxresponsebytes: 1 }).message).toContain("Did you mean 'maxResponseBytes'?");
  });
});
