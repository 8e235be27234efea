import type { SpectroCloudEnvironmentConfig } from '../config/readEnvironmentConfig';
import { OutboundClient } from './OutboundClient';
import { trustedCertificates } from './trustedCertificates';

/** The outbound client of one provider environment, from its validated config. */
export function createOutboundClient(
  config: Pick<SpectroCloudEnvironmentConfig, 'timeout' | 'maxResponseBytes' | 'proxy' | 'ca'>,
): OutboundClient {
  return new OutboundClient({
    timeoutMs: config.timeout,
    maxResponseBytes: config.maxResponseBytes,
    proxy: config.proxy,
    ca: trustedCertificates(config.ca),
  });
}
