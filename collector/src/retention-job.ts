import type { FastifyBaseLogger } from 'fastify';
import type { Store } from './storage/store.js';

export interface RetentionJobOptions {
  retentionDays: number;
  retentionEventsPerIssue: number;
  /** ms between runs; 0 disables the job. */
  intervalMs: number;
  now?: () => number;
}

// The first run waits a little so startup (and short-lived tests) are not slowed by it.
const FIRST_RUN_DELAY_MS = 60_000;

/** Deletes events past the age and per-issue limits, periodically. Timers never keep the process alive. */
export class RetentionJob {
  readonly #store: Store;
  readonly #options: RetentionJobOptions;
  readonly #log: FastifyBaseLogger;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;

  constructor(store: Store, options: RetentionJobOptions, log: FastifyBaseLogger) {
    this.#store = store;
    this.#options = options;
    this.#log = log;
  }

  start(): void {
    if (this.#options.intervalMs === 0 || this.#timer !== undefined) return;
    this.#timer = setTimeout(() => this.#tick(), Math.min(FIRST_RUN_DELAY_MS, this.#options.intervalMs));
    this.#timer.unref();
  }

  #tick(): void {
    this.#running ??= this.runOnce()
      .then(
        () => undefined,
        (error: unknown) => this.#log.error({ err: error }, 'retention job failed'),
      )
      .finally(() => {
        this.#running = undefined;
      });
    if (this.#timer !== undefined) {
      this.#timer = setTimeout(() => this.#tick(), this.#options.intervalMs);
      this.#timer.unref();
    }
  }

  /** One pass: events older than `retentionDays`, then events beyond `retentionEventsPerIssue` per issue. */
  async runOnce(): Promise<{ deletedEvents: number; deletedIssues: number }> {
    const now = (this.#options.now ?? Date.now)();
    const result = await this.#store.applyRetention({
      olderThan: now - this.#options.retentionDays * 86_400_000,
      maxEventsPerIssue: this.#options.retentionEventsPerIssue,
    });
    if (result.deletedEvents > 0 || result.deletedIssues > 0) this.#log.info(result, 'retention deleted old events');
    return result;
  }

  async stop(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }
}
