import type { Diagnostics } from '../client/diagnostics.js';
import { backoffDelay, parseRetryAfter, type BackoffOptions } from './backoff.js';
import type { BatchEncoding } from './batch-encoding.js';
import type { DropReason } from './drop-counter.js';
import type { HttpSender, PostResult } from './http-sender.js';
import type { Scheduler } from './scheduler.js';

/** What became of a batch: acknowledged (some reports may be refused one by one), or dropped whole. */
export type Outcome = { ok: true; rejected: readonly { index: number; error: string }[] } | { ok: false; reason: DropReason };

export interface BatchDeliveryOptions {
  readonly sender: HttpSender;
  readonly encoding: BatchEncoding;
  readonly scheduler: Scheduler;
  readonly backoff: BackoffOptions;
  /** Jitter source, [0, 1). */
  readonly random: () => number;
  readonly diagnostics: Diagnostics | undefined;
}

/**
 * Posts a batch body until the collector acknowledges or refuses it, retrying with backoff what may succeed
 * later (network errors, 408, 429, 5xx). A `Retry-After` pauses the whole transport, not only this batch.
 */
export class BatchDelivery {
  readonly #sender: HttpSender;
  readonly #encoding: BatchEncoding;
  readonly #scheduler: Scheduler;
  readonly #backoff: BackoffOptions;
  readonly #random: () => number;
  readonly #diag: Diagnostics | undefined;
  readonly #sleeps = new Set<() => void>();
  #pausedUntil = 0;
  #stopped = false;

  constructor(options: BatchDeliveryOptions) {
    this.#sender = options.sender;
    this.#encoding = options.encoding;
    this.#scheduler = options.scheduler;
    this.#backoff = options.backoff;
    this.#random = options.random;
    this.#diag = options.diagnostics;
  }

  /** Scheduler time before which no batch should start: the collector asked to wait (`Retry-After`). */
  get pausedUntil(): number {
    return this.#pausedUntil;
  }

  /** `count`: the reports in `body`, to read which of them a 2xx answer refused. */
  async deliver(body: Buffer, count: number): Promise<Outcome> {
    for (let attempt = 1; ; attempt++) {
      if (this.#stopped) return { ok: false, reason: 'closed' };
      const result = await this.#sender.post(body);
      const verdict = this.#judge(result, count);
      if (verdict !== 'retry') return verdict;
      if (this.#stopped) return { ok: false, reason: 'closed' };
      const retryAfterMs = result.kind === 'response' ? parseRetryAfter(result.retryAfter, this.#scheduler.now()) : undefined;
      const delay = backoffDelay(attempt, this.#backoff, this.#random, retryAfterMs);
      if (retryAfterMs !== undefined) this.#pausedUntil = Math.max(this.#pausedUntil, this.#scheduler.now() + delay);
      this.#diag?.debug(
        { attempt, delayMs: Math.round(delay), ...(result.kind === 'response' ? { status: result.status } : { err: result.error }) },
        'faultline: batch not delivered, retrying',
      );
      await this.#sleep(delay);
    }
  }

  /** No more attempts: a batch waiting to retry wakes and settles as `closed`. */
  stop(): void {
    this.#stopped = true;
    for (const wake of this.#sleeps) wake();
    this.#sleeps.clear();
  }

  #judge(result: PostResult, count: number): Outcome | 'retry' {
    if (result.kind === 'network') return 'retry';
    const { status } = result;
    if (status >= 200 && status < 300) return { ok: true, rejected: this.#encoding.rejected(result.body, count) };
    if (status === 408 || status === 429 || status >= 500) return 'retry';
    const reason: DropReason = `http_${status}`;
    this.#diag?.warnOnce(
      reason,
      { status, body: result.body.slice(0, 500) },
      status === 401 || status === 403
        ? 'faultline: the collector refused the API key; reports are dropped'
        : status >= 300 && status < 400
          ? // Not followed: a redirect may lead off the collector's origin, and the API key goes with every request.
            `faultline: the endpoint answered ${status}, a redirect, which is not followed: set endpoint to the collector's own URL; reports are dropped`
          : `faultline: the collector answered ${status}; reports are dropped`,
    );
    return { ok: false, reason };
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        this.#sleeps.delete(wake);
        this.#scheduler.clearTimeout(handle);
        resolve();
      };
      const handle = this.#scheduler.setTimeout(wake, ms);
      this.#sleeps.add(wake);
    });
  }
}
