/**
 * Why a report was dropped. The SDK's own reasons; the transport adds `http_<status>` for answers that reject
 * a whole batch (`http_400`, `http_401`, `http_413`, ...).
 */
export type DropReason =
  | 'sample_rate'
  | 'before_send'
  | 'before_send_error'
  | 'invalid'
  | 'too_large'
  | 'queue_overflow'
  | 'rejected'
  | 'closed'
  | `http_${number}`;

/** Counts dropped reports by reason until the counts have been delivered to the collector. */
export class DropCounter {
  readonly #counts = new Map<string, number>();

  add(reason: DropReason, n = 1): void {
    if (n <= 0) return;
    this.#counts.set(reason, (this.#counts.get(reason) ?? 0) + n);
  }

  /** The current counts, or undefined when nothing was dropped. */
  snapshot(): Record<string, number> | undefined {
    if (this.#counts.size === 0) return undefined;
    return Object.fromEntries(this.#counts);
  }

  /** Forgets counts that were delivered (counts added since the snapshot stay). */
  subtract(delivered: Readonly<Record<string, number>>): void {
    for (const [reason, n] of Object.entries(delivered)) {
      const left = (this.#counts.get(reason) ?? 0) - n;
      if (left > 0) this.#counts.set(reason, left);
      else this.#counts.delete(reason);
    }
  }

  get(reason: DropReason): number {
    return this.#counts.get(reason) ?? 0;
  }
}
