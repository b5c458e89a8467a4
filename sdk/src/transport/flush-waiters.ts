import { awaitedDeadline } from '../max-timeout.js';

interface FlushWaiter {
  readonly target: number;
  lost: boolean;
  readonly resolve: (ok: boolean) => void;
  timer?: NodeJS.Timeout;
}

/**
 * The callers waiting on a transport: `flush` until every report numbered below its target is settled, `close`
 * until no request is in flight. Their timers are ref'd on purpose: the application is waiting for them.
 */
export class FlushWaiters {
  readonly #settledThrough: (target: number) => boolean;
  readonly #flushes: FlushWaiter[] = [];
  readonly #idleWaiters = new Set<() => void>();

  /** `settledThrough(target)`: whether every report numbered below `target` was acknowledged or dropped. */
  constructor(settledThrough: (target: number) => boolean) {
    this.#settledThrough = settledThrough;
  }

  /** Flushes still waiting. */
  get size(): number {
    return this.#flushes.length;
  }

  /**
   * Calls `resolve(true)` once every report numbered below `target` is settled and none of them was dropped;
   * `resolve(false)` once one was dropped and all are settled, or after `timeoutMs` (none past setTimeout's
   * range: `Infinity` waits as long as it takes). Without `timeoutMs` (a drain, which nobody awaits) there is
   * no timer at all, so nothing keeps the process alive for it.
   */
  add(target: number, timeoutMs: number | undefined, resolve: (ok: boolean) => void): void {
    const waiter: FlushWaiter = { target, lost: false, resolve };
    if (timeoutMs !== undefined) waiter.timer = awaitedDeadline(() => this.#finish(waiter, false), timeoutMs);
    this.#flushes.push(waiter);
  }

  /** Reports were dropped: a flush waiting for one of them will resolve `false`. */
  lost(entries: readonly { readonly seq: number }[]): void {
    for (const waiter of this.#flushes) {
      if (entries.some((e) => e.seq < waiter.target)) waiter.lost = true;
    }
  }

  /** Resolves the flushes whose reports are all settled now. */
  check(): void {
    for (const waiter of [...this.#flushes]) {
      if (this.#settledThrough(waiter.target)) this.#finish(waiter, !waiter.lost);
    }
  }

  /**
   * Resolves at the next `idle()` or after `timeoutMs`; at once when nothing is in flight. Without `timeoutMs`
   * (a drain) there is no timer, and nothing keeps the process alive for it.
   */
  whenIdle(inFlight: number, timeoutMs: number | undefined): Promise<void> {
    if (inFlight === 0 || (timeoutMs !== undefined && timeoutMs <= 0)) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        this.#idleWaiters.delete(done);
        clearTimeout(timer);
        resolve();
      };
      const timer = timeoutMs === undefined ? undefined : awaitedDeadline(done, timeoutMs);
      this.#idleWaiters.add(done);
    });
  }

  /** The last request in flight has ended. */
  idle(): void {
    for (const done of [...this.#idleWaiters]) done();
  }

  #finish(waiter: FlushWaiter, ok: boolean): void {
    const i = this.#flushes.indexOf(waiter);
    if (i === -1) return;
    this.#flushes.splice(i, 1);
    clearTimeout(waiter.timer);
    waiter.resolve(ok);
  }
}
