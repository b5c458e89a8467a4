import { promisify } from 'node:util';
import { gzip as gzipCallback, constants as zlibConstants } from 'node:zlib';
import type { Diagnostics } from '../client/diagnostics.js';
import type { Report } from '../report/schema.js';
import { DEFAULT_BACKOFF } from './backoff.js';
import { BatchDelivery } from './batch-delivery.js';
import { DropCounter, type DropReason } from './drop-counter.js';
import { FlushWaiters } from './flush-waiters.js';
import { HttpSender } from './http-sender.js';
import { REPORTS_ENCODING, type BatchEncoding } from './batch-encoding.js';
import { RingQueue } from './ring-queue.js';
import { realScheduler, type Scheduler } from './scheduler.js';
import { serializeBatch } from './serialize-batch.js';
import type { TransportOptions } from './transport-options.js';

export type { TransportOptions } from './transport-options.js';

const gzip = promisify(gzipCallback);

interface Entry {
  readonly report: Report;
  readonly seq: number;
}

interface InFlight {
  readonly minSeq: number;
  entries: Entry[];
  dropped?: Record<string, number>;
}

/**
 * Ships reports to the collector: a bounded queue, batches (by count, size and age), gzip, at most
 * `maxInFlight` requests, retries with backoff for what may succeed later, counted drops for what will not.
 * Serialization and compression happen at batch time, in slices and on the thread pool, so `enqueue` is cheap
 * and the event loop is never blocked for long. Never throws; never keeps the process alive on its own.
 */
export class BatchTransport {
  readonly #queue: RingQueue<Entry>;
  readonly #sender: HttpSender;
  readonly #delivery: BatchDelivery;
  readonly #scheduler: Scheduler;
  readonly #drops: DropCounter;
  readonly #diag: Diagnostics | undefined;
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
  readonly #waiters = new FlushWaiters((target) => this.#settledThrough(target));
  #timer: unknown;
  #timerAt = 0;
  #due = false;
  #dropsClaimed = false;
  #sendDrops = false;
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
    this.#delivery = new BatchDelivery({
      sender: this.#sender,
      encoding: this.#encoding,
      scheduler: this.#scheduler,
      backoff: options.backoff ?? DEFAULT_BACKOFF,
      random: options.random ?? Math.random,
      diagnostics: this.#diag,
    });
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
      if (this.#waiters.size > 0) this.#waiters.check();
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
    return this.#settle(timeoutMs);
  }

  /**
   * Sends everything queued now, as `flush` does, with no deadline and no timer: resolves once every report
   * queued before the call is acknowledged (`true`) or dropped (`false`). How a configuration that a later
   * `init` replaced delivers what it holds; retries go on while the collector is down, and nothing keeps the
   * process alive for them.
   */
  async drain(): Promise<boolean> {
    const ok = await this.#settle(undefined);
    // Then the drop counts, alone if no report batch carried them, and every request in flight.
    this.#sendDrops = true;
    this.#pump();
    await this.#waiters.whenIdle(this.#inFlight.size, undefined);
    return ok;
  }

  #settle(timeoutMs: number | undefined): Promise<boolean> {
    const target = this.#nextSeq;
    this.#sendDrops = true;
    if (this.#settledThrough(target)) {
      this.#pump();
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      this.#waiters.add(target, timeoutMs, resolve);
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
      await this.#waiters.whenIdle(this.#inFlight.size, deadline - Date.now());
      this.#stop();
      return ok;
    })();
    return this.#closed;
  }

  #stop(): void {
    this.#stopped = true;
    if (this.#timer !== undefined) this.#scheduler.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#delivery.stop();
    const left: Entry[] = [];
    for (let e = this.#queue.shift(); e !== undefined; e = this.#queue.shift()) left.push(e);
    this.#lose(left, 'closed');
    this.#waiters.check(); // a drain waiting for what was queued ends here (what was in flight settles later)
    this.#sender.close();
  }

  // --- batching -------------------------------------------------------------------------------------------

  #pump(): void {
    if (this.#stopped) return;
    const now = this.#scheduler.now();
    const paused = now < this.#delivery.pausedUntil;
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
    if (this.#queue.length > 0) this.#arm(paused ? this.#delivery.pausedUntil - now : this.#batchDelayMs);
  }

  #sendNow(): boolean {
    return this.#due || this.#closing || this.#waiters.size > 0 || this.#queue.length >= this.#sendAt;
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
        this.#waiters.check();
        this.#pump();
        if (this.#inFlight.size === 0) this.#waiters.idle();
      });
  }

  async #runBatch(batch: InFlight): Promise<void> {
    const { parts, kept } = await serializeBatch(batch.entries, {
      sliceSize: this.#sliceSize,
      maxBytes: this.#maxBatchBytes,
      drop: (entry, reason) => this.#lose([entry], reason),
      over: (entries) => this.#putBack(entries),
    });
    batch.entries = kept;
    // A batch whose reports all failed to serialize still carries dropped counts if it can.
    if (!(this.#encoding.carriesDrops && this.#claimDrops(batch)) && parts.length === 0) return;
    const body = this.#encoding.body(batch.entries.map((e) => e.report), parts, batch.dropped);
    const compressed = await gzip(body, { level: zlibConstants.Z_BEST_SPEED });
    const outcome = await this.#delivery.deliver(compressed, parts.length);
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

  /** Reports past a batch's size limit go back to the front of the queue, in order, for the next batch. */
  #putBack(entries: readonly Entry[]): void {
    for (let j = entries.length - 1; j >= 0; j--) {
      const notKept = this.#queue.unshift(entries[j]!);
      if (notKept !== undefined) this.#lose([notKept], 'queue_overflow');
    }
  }

  #accepted(batch: InFlight, rejected: readonly { index: number; error: string }[]): void {
    if (rejected.length === 0) return;
    const lost = new Set<Entry>(); // an index the answer lists twice is still one report
    for (const r of rejected) {
      const entry = batch.entries[r.index];
      if (entry !== undefined) lost.add(entry);
    }
    this.#lose([...lost], 'rejected');
    this.#diag?.warnOnce('rejected', { count: lost.size, error: rejected[0]?.error }, 'faultline: the collector rejected reports');
  }

  // --- accounting -----------------------------------------------------------------------------------------

  #lose(entries: readonly Entry[], reason: DropReason): void {
    if (entries.length === 0) return;
    this.#drops.add(reason, entries.length);
    this.#waiters.lost(entries);
  }

  /** True when every report with a sequence number below `target` was acknowledged or dropped. */
  #settledThrough(target: number): boolean {
    const head = this.#queue.peek();
    if (head !== undefined && head.seq < target) return false;
    for (const batch of this.#inFlight) if (batch.minSeq < target) return false;
    return true;
  }
}
