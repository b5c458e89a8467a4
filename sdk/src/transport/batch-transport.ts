import { setImmediate as nextTurn } from 'node:timers/promises';
import { promisify } from 'node:util';
import { gzip as gzipCallback, constants as zlibConstants } from 'node:zlib';
import type { Diagnostics } from '../client/diagnostics.js';
import { serializeReport } from '../report/fit-report.js';
import type { Report } from '../report/schema.js';
import { backoffDelay, DEFAULT_BACKOFF, parseRetryAfter, type BackoffOptions } from './backoff.js';
import { DropCounter, type DropReason } from './drop-counter.js';
import { HttpSender, type PostResult } from './http-sender.js';
import { REPORTS_ENCODING, type BatchEncoding } from './batch-encoding.js';
import { RingQueue } from './ring-queue.js';
import { realScheduler, type Scheduler } from './scheduler.js';

const gzip = promisify(gzipCallback);

export interface TransportOptions {
  /** Collector base URL; batches go to `{endpoint}/v1/reports` (or the encoding's path). */
  readonly endpoint: string;
  /** Default `REPORTS_ENCODING`. */
  readonly encoding?: BatchEncoding;
  readonly apiKey?: string;
  /** Reports waiting to be sent; when full the oldest is dropped (`queue_overflow`). Default 1000. */
  readonly maxQueue?: number;
  /** Default 100. */
  readonly maxBatchReports?: number;
  /** Uncompressed JSON size of a batch body. Default 1 MiB. */
  readonly maxBatchBytes?: number;
  /** Longest a report waits for its batch to fill. Default 1000 ms. */
  readonly batchDelayMs?: number;
  /** Default 2. */
  readonly maxInFlight?: number;
  readonly backoff?: BackoffOptions;
  /** Jitter source, [0, 1). */
  readonly random?: () => number;
  /** Default 10 s. */
  readonly requestTimeoutMs?: number;
  readonly scheduler?: Scheduler;
  readonly drops?: DropCounter;
  readonly diagnostics?: Diagnostics;
  /** Reports serialized per turn of the event loop while a batch is formed. Default 20. */
  readonly serializeSliceSize?: number;
}

interface Entry {
  readonly report: Report;
  readonly seq: number;
}

interface InFlight {
  readonly minSeq: number;
  entries: Entry[];
  dropped?: Record<string, number>;
}

interface FlushWaiter {
  readonly target: number;
  lost: boolean;
  readonly resolve: (ok: boolean) => void;
  timer?: NodeJS.Timeout;
}

type Outcome = { ok: true; rejected: readonly { index: number; error: string }[] } | { ok: false; reason: DropReason };

/**
 * Ships reports to the collector: a bounded queue, batches (by count, size and age), gzip, at most
 * `maxInFlight` requests, retries with backoff for what may succeed later, counted drops for what will not.
 * Serialization and compression happen at batch time, in slices and on the thread pool, so `enqueue` is cheap
 * and the event loop is never blocked for long. Never throws; never keeps the process alive on its own.
 */
export class BatchTransport {
  readonly #queue: RingQueue<Entry>;
  readonly #sender: HttpSender;
  readonly #scheduler: Scheduler;
  readonly #drops: DropCounter;
  readonly #diag: Diagnostics | undefined;
  readonly #random: () => number;
  readonly #backoff: BackoffOptions;
  readonly #maxBatchReports: number;
  /** Queue length at which a batch goes at once: a full batch, or a full queue (whichever is smaller). */
  readonly #sendAt: number;
  readonly #maxBatchBytes: number;
  readonly #batchDelayMs: number;
  readonly #maxInFlight: number;
  readonly #sliceSize: number;
  readonly #encoding: BatchEncoding;

  #nextSeq = 0;
  readonly #inFlight = new Set<InFlight>();
  readonly #waiters: FlushWaiter[] = [];
  readonly #sleeps = new Set<() => void>();
  #timer: unknown;
  #timerAt = 0;
  #due = false;
  #pausedUntil = 0;
  #dropsClaimed = false;
  #sendDrops = false;
  readonly #idleWaiters = new Set<() => void>();
  #closing = false;
  #stopped = false;
  #closed: Promise<boolean> | undefined;

  constructor(options: TransportOptions) {
    const base = options.endpoint.endsWith('/') ? options.endpoint : `${options.endpoint}/`;
    this.#maxInFlight = options.maxInFlight ?? 2;
    this.#encoding = options.encoding ?? REPORTS_ENCODING;
    this.#sender = new HttpSender({
      url: new URL(this.#encoding.path, base),
      ...(options.apiKey !== undefined ? { apiKey: options.apiKey } : {}),
      ...(this.#encoding.headers !== undefined ? { headers: this.#encoding.headers } : {}),
      maxSockets: this.#maxInFlight,
      timeoutMs: options.requestTimeoutMs ?? 10_000,
    });
    this.#queue = new RingQueue(options.maxQueue ?? 1000);
    this.#scheduler = options.scheduler ?? realScheduler;
    this.#drops = options.drops ?? new DropCounter();
    this.#diag = options.diagnostics;
    this.#random = options.random ?? Math.random;
    this.#backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.#maxBatchReports = options.maxBatchReports ?? 100;
    // With a queue smaller than a batch, waiting for a full batch would evict reports while the collector is up.
    this.#sendAt = Math.min(this.#maxBatchReports, this.#queue.capacity);
    this.#maxBatchBytes = options.maxBatchBytes ?? 1024 * 1024;
    this.#batchDelayMs = options.batchDelayMs ?? 1000;
    this.#sliceSize = options.serializeSliceSize ?? 20;
  }

  /** Drop counts by reason, shared with the client; they ride with the next batch. */
  get drops(): DropCounter {
    return this.#drops;
  }

  /** Reports waiting in the queue (not yet in a batch). */
  get queued(): number {
    return this.#queue.length;
  }

  /** Queues a report; O(1), no serialization. */
  enqueue(report: Report): void {
    if (this.#closing || this.#stopped) {
      this.#drops.add('closed');
      return;
    }
    const evicted = this.#queue.push({ report, seq: this.#nextSeq++ });
    if (evicted !== undefined) {
      this.#lose([evicted], 'queue_overflow');
      this.#diag?.warnOnce('queue_overflow', { maxQueue: this.#queue.capacity }, 'faultline: report queue full, dropping the oldest reports');
      if (this.#waiters.length > 0) this.#checkWaiters();
    }
    if (this.#queue.length >= this.#sendAt || this.#timer === undefined) this.#pump();
  }

  /**
   * Sends everything queued now without waiting for batches to fill, and resolves `true` once every report
   * queued before the call was acknowledged by the collector; `false` if some was dropped or `timeoutMs`
   * passed first. While it waits, its timer keeps the process alive (the caller is waiting for it).
   * Dropped counts not yet delivered are sent too, alone if no report batch carries them.
   */
  flush(timeoutMs = 5000): Promise<boolean> {
    const target = this.#nextSeq;
    this.#sendDrops = true;
    if (this.#settledThrough(target)) {
      this.#pump();
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const waiter: FlushWaiter = { target, lost: false, resolve };
      waiter.timer = setTimeout(() => this.#finishWaiter(waiter, false), Math.max(0, timeoutMs));
      this.#waiters.push(waiter);
      this.#pump();
    });
  }

  /**
   * Flushes (within `timeoutMs`), lets requests in flight finish (within the same time), then stops: later
   * reports are dropped, timers and sockets released.
   */
  close(timeoutMs = 5000): Promise<boolean> {
    this.#closed ??= (async () => {
      this.#closing = true;
      const deadline = Date.now() + timeoutMs;
      const ok = await this.flush(timeoutMs);
      await this.#whenIdle(deadline - Date.now());
      this.#stop();
      return ok;
    })();
    return this.#closed;
  }

  #whenIdle(timeoutMs: number): Promise<void> {
    if (this.#inFlight.size === 0 || timeoutMs <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        this.#idleWaiters.delete(done);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.#idleWaiters.add(done);
    });
  }

  #stop(): void {
    this.#stopped = true;
    if (this.#timer !== undefined) this.#scheduler.clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const wake of this.#sleeps) wake();
    this.#sleeps.clear();
    const left: Entry[] = [];
    for (let e = this.#queue.shift(); e !== undefined; e = this.#queue.shift()) left.push(e);
    this.#lose(left, 'closed');
    this.#sender.close();
  }

  // --- batching -------------------------------------------------------------------------------------------

  #pump(): void {
    if (this.#stopped) return;
    const now = this.#scheduler.now();
    const paused = now < this.#pausedUntil;
    while (!paused && this.#inFlight.size < this.#maxInFlight && this.#queue.length > 0 && this.#sendNow()) {
      const entries: Entry[] = [];
      while (entries.length < this.#maxBatchReports && this.#queue.length > 0) entries.push(this.#queue.shift()!);
      this.#startBatch(entries);
    }
    if (this.#queue.length === 0) this.#due = false;
    if (this.#sendDrops && !paused && this.#inFlight.size === 0 && this.#queue.length === 0) {
      this.#sendDrops = false;
      if (this.#encoding.carriesDrops && !this.#dropsClaimed && this.#drops.snapshot() !== undefined) this.#startBatch([]);
    }
    if (this.#queue.length > 0) this.#arm(paused ? this.#pausedUntil - now : this.#batchDelayMs);
  }

  #sendNow(): boolean {
    return this.#due || this.#closing || this.#waiters.length > 0 || this.#queue.length >= this.#sendAt;
  }

  #arm(delayMs: number): void {
    const at = this.#scheduler.now() + delayMs;
    if (this.#timer !== undefined) {
      if (this.#timerAt <= at) return;
      this.#scheduler.clearTimeout(this.#timer);
    }
    this.#timerAt = at;
    this.#timer = this.#scheduler.setTimeout(() => {
      this.#timer = undefined;
      this.#due = true;
      this.#pump();
    }, Math.max(0, delayMs));
  }

  #startBatch(entries: Entry[]): void {
    const batch: InFlight = { minSeq: entries[0]?.seq ?? this.#nextSeq, entries };
    this.#inFlight.add(batch);
    this.#runBatch(batch)
      .catch((error: unknown) => {
        // A fault of ours (not of the network): the batch is lost, counted, and said once.
        this.#lose(batch.entries, 'invalid');
        this.#diag?.warnOnce('transport_fault', { err: error }, 'faultline: internal transport fault, reports dropped');
      })
      .finally(() => {
        if (batch.dropped !== undefined) this.#dropsClaimed = false;
        this.#inFlight.delete(batch);
        this.#checkWaiters();
        this.#pump();
        if (this.#inFlight.size === 0) for (const done of [...this.#idleWaiters]) done();
      });
  }

  async #runBatch(batch: InFlight): Promise<void> {
    const parts = await this.#serialize(batch);
    // A batch whose reports all failed to serialize still carries dropped counts if it can.
    if (!(this.#encoding.carriesDrops && this.#claimDrops(batch)) && parts.length === 0) return;
    const body = this.#encoding.body(batch.entries.map((e) => e.report), parts, batch.dropped);
    const compressed = await gzip(body, { level: zlibConstants.Z_BEST_SPEED });
    const outcome = await this.#deliver(compressed, parts.length);
    if (outcome.ok) {
      if (batch.dropped !== undefined) this.#drops.subtract(batch.dropped);
      this.#accepted(batch, outcome.rejected);
    } else {
      this.#lose(batch.entries, outcome.reason);
    }
  }

  #claimDrops(batch: InFlight): boolean {
    if (this.#dropsClaimed) return false;
    const snapshot = this.#drops.snapshot();
    if (snapshot === undefined) return false;
    // Only one batch at a time carries the counts, so two batches can never report the same drops.
    this.#dropsClaimed = true;
    batch.dropped = snapshot;
    return true;
  }

  /**
   * Serializes the batch's reports a slice at a time; reports that would push the body past the size limit
   * go back to the front of the queue for the next batch, reports that cannot be serialized are dropped.
   */
  async #serialize(batch: InFlight): Promise<string[]> {
    const parts: string[] = [];
    const kept: Entry[] = [];
    let bytes = 64; // the envelope and the dropped counts
    const entries = batch.entries;
    let i = 0;
    for (; i < entries.length; i++) {
      // Never in the caller's turn (enqueue stays O(1)), then a slice per turn.
      if (i % this.#sliceSize === 0) await nextTurn();
      const entry = entries[i]!;
      const result = serializeReport(entry.report);
      if ('drop' in result) {
        this.#lose([entry], result.drop);
        continue;
      }
      const size = Buffer.byteLength(result.json) + 1;
      if (bytes + size > this.#maxBatchBytes && parts.length > 0) break;
      bytes += size;
      parts.push(result.json);
      kept.push(entry);
    }
    for (let j = entries.length - 1; j >= i; j--) {
      const notKept = this.#queue.unshift(entries[j]!);
      if (notKept !== undefined) this.#lose([notKept], 'queue_overflow');
    }
    batch.entries = kept;
    return parts;
  }

  // --- delivery -------------------------------------------------------------------------------------------

  async #deliver(body: Buffer, count: number): Promise<Outcome> {
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
        : `faultline: the collector answered ${status}; reports are dropped`,
    );
    return { ok: false, reason };
  }

  #accepted(batch: InFlight, rejected: readonly { index: number; error: string }[]): void {
    if (rejected.length === 0) return;
    const lost: Entry[] = [];
    for (const r of rejected) {
      const entry = batch.entries[r.index];
      if (entry !== undefined) lost.push(entry);
    }
    this.#lose(lost, 'rejected');
    this.#diag?.warnOnce('rejected', { count: rejected.length, error: rejected[0]?.error }, 'faultline: the collector rejected reports');
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

  // --- accounting -----------------------------------------------------------------------------------------

  #lose(entries: readonly Entry[], reason: DropReason): void {
    if (entries.length === 0) return;
    this.#drops.add(reason, entries.length);
    for (const waiter of this.#waiters) {
      if (entries.some((e) => e.seq < waiter.target)) waiter.lost = true;
    }
  }

  /** True when every report with a sequence number below `target` was acknowledged or dropped. */
  #settledThrough(target: number): boolean {
    const head = this.#queue.peek();
    if (head !== undefined && head.seq < target) return false;
    for (const batch of this.#inFlight) if (batch.minSeq < target) return false;
    return true;
  }

  #checkWaiters(): void {
    for (const waiter of [...this.#waiters]) {
      if (this.#settledThrough(waiter.target)) this.#finishWaiter(waiter, !waiter.lost);
    }
  }

  #finishWaiter(waiter: FlushWaiter, ok: boolean): void {
    const i = this.#waiters.indexOf(waiter);
    if (i === -1) return;
    this.#waiters.splice(i, 1);
    clearTimeout(waiter.timer);
    waiter.resolve(ok);
  }
}
