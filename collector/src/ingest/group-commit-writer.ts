import { httpError } from '../errors.js';
import { isDataError } from '../storage/store-errors.js';
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

  /**
   * True when `count` more events would pass the bound. An empty queue takes any batch, so a bound below a
   * batch's size delays large batches but never refuses one forever.
   */
  wouldOverflow(count: number): boolean {
    return this.#depth > 0 && this.#depth + count > this.#options.maxQueued;
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
    const outcomes = await this.#transaction(batch, size);
    this.#setDepth(this.#depth - size);
    for (const [pending, outcome] of outcomes) {
      if (outcome instanceof Error) pending.reject(outcome);
      else pending.resolve(outcome);
    }
  }

  /**
   * One transaction for the batch's events; each caller's outcome (never throws). If the store refuses what they
   * hold, each caller gets a transaction of its own (a bad request must not fail the requests that shared its
   * commit), and within a caller the events are halved until the refused ones are found: they alone are
   * rejected, the others stored.
   */
  async #transaction(batch: Pending[], size: number): Promise<[Pending, WriteResult | Error][]> {
    const events = batch.length === 1 ? batch[0]!.events : batch.flatMap((p) => p.events);
    const start = performance.now();
    let result: WriteResult;
    try {
      result = await this.#store.writeEvents(events);
    } catch (error) {
      if (!isDataError(error)) return batch.map((pending) => [pending, unavailable(error)]);
      if (batch.length === 1) return [[batch[0]!, await this.#isolate(batch[0]!.events, error)]];
      const outcomes: [Pending, WriteResult | Error][] = [];
      for (const pending of batch) outcomes.push(...(await this.#transaction([pending], pending.events.length)));
      return outcomes;
    }
    this.#options.onCommit?.((performance.now() - start) / 1000, size);
    let offset = 0;
    return batch.map((pending) => {
      const n = pending.events.length;
      // created/regressed are process-wide facts for metrics; they go to the first caller of the transaction.
      const slice = {
        stored: result.stored.slice(offset, offset + n),
        created: offset === 0 ? result.created : [],
        regressed: offset === 0 ? result.regressed : [],
      };
      offset += n;
      return [pending, slice];
    });
  }

  /** One caller's events, which the store refused as a whole with `refusal`: stores all but the refused ones. */
  async #isolate(events: readonly PreparedEvent[], refusal: unknown): Promise<WriteResult | Error> {
    const merged: Required<WriteResult> = { stored: [], created: [], regressed: [], refused: [] };
    const down = await this.#bisect(events, merged, refusal);
    return down === undefined ? merged : unavailable(down.cause);
  }

  /**
   * Writes `events` in halves until each refused event is alone; appends each part's outcome, in order.
   * `refusal` is the data error the store already answered these very events with. Resolves `{ cause }` if the
   * store turns out to be unavailable.
   */
  async #bisect(events: readonly PreparedEvent[], into: Required<WriteResult>, refusal?: unknown): Promise<{ cause: unknown } | undefined> {
    let error = refusal;
    if (error === undefined) {
      try {
        const result = await this.#store.writeEvents(events);
        into.stored.push(...result.stored);
        into.refused.push(...result.stored.map(() => undefined));
        into.created.push(...result.created);
        into.regressed.push(...result.regressed);
        return undefined;
      } catch (thrown) {
        error = thrown;
      }
    }
    if (!isDataError(error)) return { cause: error };
    if (events.length === 1) {
      into.stored.push(false);
      into.refused.push(`The store refused this report: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
    const half = events.length >> 1;
    return (await this.#bisect(events.slice(0, half), into)) ?? (await this.#bisect(events.slice(half), into));
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

function unavailable(cause: unknown): Error {
  return httpError('FAULTLINE_STORE_UNAVAILABLE', 'The store could not commit the reports; retry later', { retryAfter: 1, cause });
}
