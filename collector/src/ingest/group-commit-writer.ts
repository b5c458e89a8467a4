import { httpError } from '../errors.js';
import type { PreparedEvent, Store, WriteResult } from '../storage/store.js';

interface Pending {
  events: readonly PreparedEvent[];
  resolve: (result: WriteResult) => void;
  reject: (error: unknown) => void;
}

export interface GroupCommitWriterOptions {
  /** Events waiting (queued or being written) beyond which `write` refuses with 503. */
  maxQueued: number;
  /** Called after each transaction with its duration in seconds and size. */
  onCommit?: (seconds: number, events: number) => void;
  /** Called whenever the number of waiting events changes. */
  onDepth?: (depth: number) => void;
  /**
   * Transactions in flight at once. 1 (the default) for SQLite, whose writes are synchronous anyway; a few for
   * PostgreSQL, where a commit waits on the network and concurrent transactions are safe.
   */
  concurrency?: number;
  /**
   * Events that must be queued before a transaction starts while another is still in flight. Below it, the
   * queue waits for the running one: a few small writes then share one commit instead of each taking its own
   * transaction that waits on the same hot rows (one issue's counters) as the others. Default 0.
   */
  overlapMinEvents?: number;
  /** Requests that have arrived and will write (queued or not yet): the writer waits briefly for the rest. */
  arriving?: () => number;
}

// Turns of the event loop a commit may wait for requests still being read.
const MAX_EXTRA_TURNS = 3;

// Upper bound of events per transaction, so one commit never holds the SQLite writer for long.
const MAX_EVENTS_PER_TRANSACTION = 20_000;

/**
 * The single writer: callers' batches queue up and are drained into one transaction per tick (group commit), so
 * concurrent requests share a commit. `write` resolves only after the transaction holding its events committed.
 */
export class GroupCommitWriter {
  readonly #store: Store;
  readonly #options: GroupCommitWriterOptions;
  #queue: Pending[] = [];
  /** Events in `#queue` (not yet in a transaction). */
  #queued = 0;
  #depth = 0;
  #active = 0;
  #scheduled = false;
  #closed = false;
  #idle: (() => void)[] = [];
  /** Callers queued or in a transaction. */
  #callers = 0;

  constructor(store: Store, options: GroupCommitWriterOptions) {
    this.#store = store;
    this.#options = options;
  }

  /** Events queued or in the transaction being written. */
  get depth(): number {
    return this.#depth;
  }

  /** True when `count` more events would pass the bound. */
  wouldOverflow(count: number): boolean {
    return this.#depth + count > this.#options.maxQueued;
  }

  write(events: readonly PreparedEvent[]): Promise<WriteResult> {
    if (this.#closed) return Promise.reject(httpError('FAULTLINE_SHUTTING_DOWN', 'The collector is shutting down; retry later', { retryAfter: 1 }));
    if (events.length === 0) return Promise.resolve({ stored: [], created: [], regressed: [] });
    if (this.wouldOverflow(events.length)) {
      return Promise.reject(
        httpError('FAULTLINE_OVERLOADED', `The write queue holds ${this.#depth} reports (limit ${this.#options.maxQueued}); retry later`, {
          retryAfter: 1,
        }),
      );
    }
    return new Promise<WriteResult>((resolve, reject) => {
      this.#queue.push({ events, resolve, reject });
      this.#queued += events.length;
      this.#callers++;
      this.#setDepth(this.#depth + events.length);
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#scheduled || this.#active >= (this.#options.concurrency ?? 1)) return;
    this.#scheduled = true;
    // Wait for the end of this turn of the event loop: every request read in it joins the transaction. While
    // requests that have arrived are still being read, wait a few turns more: fewer, larger transactions.
    let turns = 0;
    const fire = (): void => {
      if (turns++ < MAX_EXTRA_TURNS && (this.#options.arriving?.() ?? 0) > this.#callers) {
        setImmediate(fire);
        return;
      }
      this.#scheduled = false;
      this.#pump();
    };
    setImmediate(fire);
  }

  #pump(): void {
    while (this.#queue.length > 0 && this.#active < (this.#options.concurrency ?? 1)) {
      if (this.#active > 0 && this.#queued < (this.#options.overlapMinEvents ?? 0)) return;
      const batch: Pending[] = [];
      let size = 0;
      while (this.#queue.length > 0 && (batch.length === 0 || size + this.#queue[0]!.events.length <= MAX_EVENTS_PER_TRANSACTION)) {
        const next = this.#queue.shift()!;
        batch.push(next);
        size += next.events.length;
      }
      this.#queued -= size;
      this.#active++;
      void this.#commit(batch, size).finally(() => {
        this.#active--;
        this.#callers -= batch.length;
        if (this.#queue.length > 0) this.#schedule();
        else if (this.#active === 0) for (const resolve of this.#idle.splice(0)) resolve();
      });
    }
  }

  async #commit(batch: Pending[], size: number): Promise<void> {
    const events = batch.length === 1 ? batch[0]!.events : batch.flatMap((p) => p.events);
    const start = performance.now();
    try {
      const result = await this.#store.writeEvents(events);
      this.#options.onCommit?.((performance.now() - start) / 1000, size);
      let offset = 0;
      for (const pending of batch) {
        const n = pending.events.length;
        // created/regressed are process-wide facts for metrics; they go to the first caller of the transaction.
        pending.resolve({
          stored: result.stored.slice(offset, offset + n),
          created: offset === 0 ? result.created : [],
          regressed: offset === 0 ? result.regressed : [],
        });
        offset += n;
      }
    } catch (error) {
      const failure = httpError('FAULTLINE_STORE_UNAVAILABLE', 'The store could not commit the reports; retry later', { retryAfter: 1, cause: error });
      for (const pending of batch) pending.reject(failure);
    } finally {
      this.#setDepth(this.#depth - size);
    }
  }

  #setDepth(depth: number): void {
    this.#depth = depth;
    this.#options.onDepth?.(depth);
  }

  /** Refuses new writes and resolves once everything queued has been committed (or failed). */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#queue.length === 0 && this.#active === 0) return;
    await new Promise<void>((resolve) => this.#idle.push(resolve));
  }
}
