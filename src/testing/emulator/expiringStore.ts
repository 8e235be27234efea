/**
 * A map whose entries vanish after a fixed lifetime. Expired entries are swept
 * on every write, so the store stays small without a background timer.
 */
export class ExpiringStore<T> {
  readonly #entries = new Map<string, { value: T; expiresAt: number }>();

  constructor(
    private readonly lifetimeMs: number,
    private readonly clock: () => number = () => Date.now(),
  ) {}

  set(key: string, value: T): void {
    this.#sweep();
    this.#entries.set(key, { value, expiresAt: this.clock() + this.lifetimeMs });
  }

  get(key: string): T | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.clock()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  /** Reads and removes in one step: what one-time codes need. */
  take(key: string): T | undefined {
    const value = this.get(key);
    this.#entries.delete(key);
    return value;
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }

  #sweep(): void {
    const now = this.clock();
    for (const [key, entry] of this.#entries) {
      if (entry.expiresAt <= now) this.#entries.delete(key);
    }
  }
}
