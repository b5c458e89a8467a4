interface Bucket {
  tokens: number;
  updated: number;
}

/**
 * A token bucket per key, in reports per second. The bucket holds at most one second of reports (and at least
 * one full batch, so a batch can always pass eventually).
 */
export class RateLimiter {
  readonly #rate: number;
  readonly #capacity: number;
  readonly #now: () => number;
  readonly #buckets = new Map<string, Bucket>();

  constructor(ratePerSecond: number, options: { minCapacity?: number; now?: () => number } = {}) {
    this.#rate = ratePerSecond;
    this.#capacity = Math.max(ratePerSecond, options.minCapacity ?? 0);
    this.#now = options.now ?? (() => performance.now());
  }

  #bucket(key: string): Bucket {
    const now = this.#now();
    let bucket = this.#buckets.get(key);
    if (bucket === undefined) {
      bucket = { tokens: this.#capacity, updated: now };
      this.#buckets.set(key, bucket);
    } else {
      bucket.tokens = Math.min(this.#capacity, bucket.tokens + ((now - bucket.updated) / 1000) * this.#rate);
      bucket.updated = now;
    }
    return bucket;
  }

  /**
   * Takes `count` tokens, or none: returns 0 when taken, else the whole seconds to wait until they would be
   * there (the `Retry-After`).
   */
  take(key: string, count: number): number {
    const bucket = this.#bucket(key);
    if (bucket.tokens >= count) {
      bucket.tokens -= count;
      return 0;
    }
    const missing = Math.min(count, this.#capacity) - bucket.tokens;
    return Math.max(1, Math.ceil(missing / this.#rate));
  }

  /** True when the key's bucket is empty (a request can be refused before its body is read). */
  isEmpty(key: string): boolean {
    return this.#bucket(key).tokens < 1;
  }
}
