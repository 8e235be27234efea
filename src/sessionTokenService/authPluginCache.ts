import type { BackstageCacheClient } from '../paletteTokens/stores/backstageCacheStore';

/**
 * The auth plugin's `coreServices.cache`, handed over by the SpectroCloud
 * module at its init, for the `backstage-cache` stores of every plugin.
 * Backstage namespaces each plugin's CacheService by plugin id, so another
 * plugin reads what the module wrote only through the auth plugin's client
 * (as a legacy backend shared `env.cache` of the auth plugin). A plugin may
 * build its store before the module's init ran: its calls wait for the
 * hand-over (each bounded by the store's deadline) and fail with `missing`'s
 * reason once the backend started without the module.
 */
export class AuthPluginCache implements BackstageCacheClient {
  private handedOver = false;
  private readonly client: Promise<BackstageCacheClient>;
  private settle!: { resolve: (client: BackstageCacheClient) => void; reject: (reason: Error) => void };

  constructor() {
    this.client = new Promise((resolve, reject) => {
      this.settle = { resolve, reject };
    });
    this.client.catch(() => undefined); // rejected only when nobody may ever use it; each call sees the reason
  }

  get isHandedOver(): boolean {
    return this.handedOver;
  }

  handOver(client: BackstageCacheClient): void {
    this.handedOver = true;
    this.settle.resolve(client);
  }

  /** The backend started and no module handed its cache over. */
  missing(reason: Error): void {
    this.settle.reject(reason);
  }

  async get(key: string): Promise<unknown> {
    return (await this.client).get(key);
  }

  async set(key: string, value: string, options?: { ttl?: number }): Promise<void> {
    return (await this.client).set(key, value, options);
  }

  async delete(key: string): Promise<void> {
    return (await this.client).delete(key);
  }
}
