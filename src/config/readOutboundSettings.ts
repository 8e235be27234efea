import { readFileSync } from 'node:fs';
import type { Config } from '@backstage/config';
import { SpectroCloudConfigError } from '../errors';
import type { ProxySetting } from '../http/connectionPool';
import { readOptional } from './readOptional';

/** `proxy: http://proxy.example.com:3128`, or `proxy: false` to ignore HTTPS_PROXY for this provider. */
export function readProxy(config: Config, at: (key: string) => string): ProxySetting {
  if (!config.has('proxy')) return 'environment';
  const value = config.getOptional('proxy');
  if (value === false) return false;
  const example = "write a URL such as 'http://proxy.example.com:3128', or false to ignore HTTPS_PROXY and HTTP_PROXY";
  if (typeof value !== 'string' || !value.trim()) {
    throw new SpectroCloudConfigError(`Invalid '${at('proxy')}': ${example}.`, at('proxy'));
  }
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    // The value may carry proxy credentials: never echo it.
    throw new SpectroCloudConfigError(`Invalid URL in '${at('proxy')}': ${example}.`, at('proxy'));
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new SpectroCloudConfigError(`'${at('proxy')}' must be an http:// or https:// proxy URL (${url.protocol} is not supported).`, at('proxy'));
  }
  return url.toString();
}

/** `ca` (PEM text, or a list of them) and `caFile` (a PEM file, read now so a wrong path fails at startup). */
export function readCertificates(config: Config, at: (key: string) => string): string[] {
  const inline = readOptional(
    () => {
      const raw = config.getOptional('ca');
      return typeof raw === 'string' ? [raw] : config.getOptionalStringArray('ca');
    },
    at('ca'),
    'a PEM certificate text or a list of them',
  ) ?? [];
  const file = readOptional(() => config.getOptionalString('caFile'), at('caFile'), 'a file path')?.trim();
  const fromFile: string[] = [];
  if (file) {
    try {
      fromFile.push(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new SpectroCloudConfigError(
        `Cannot read '${at('caFile')}' (${(error as NodeJS.ErrnoException).code ?? 'unreadable'}). Point it at a PEM file with your CA certificate(s).`,
        at('caFile'),
      );
    }
  }
  const pems = [...inline, ...fromFile];
  pems.forEach((pem, index) => {
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
      const key = index < inline.length ? 'ca' : 'caFile';
      throw new SpectroCloudConfigError(`'${at(key)}' holds no PEM certificate (expected '-----BEGIN CERTIFICATE-----').`, at(key));
    }
  });
  return pems;
}
