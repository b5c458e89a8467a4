import { captureSite } from '../scope/spawn-site.js';
import { groupDefaults, spawnStacksOption, type SpawnStacks } from './defaults.js';
import { nameOption, objectOption } from './options.js';
import { WaitGroupState } from './wait-group-state.js';

/** Options of `new WaitGroup(...)`. */
export interface WaitGroupOptions {
  /** Shown in reports, spans and errors. Default `'waitgroup'`. */
  readonly name?: string;
  /** How much of each spawn site (`go` and `add` calls) to record; default as for `ErrGroup`. */
  readonly spawnStacks?: SpawnStacks;
}

/** Options of `wg.wait(...)`. */
export interface WaitOptions {
  /** Give up after this many ms with a `WaitTimeoutError` naming every unfinished task. */
  readonly timeout?: number;
  /** Give up when this signal aborts, with its reason. */
  readonly signal?: AbortSignal;
}

/**
 * A counter of unfinished tasks, after Go's `sync.WaitGroup`. Failures of `wg.go` tasks are reported and kept
 * on `errors`, but do not reject `wait()`.
 *
 * @example
 * const wg = new WaitGroup({ name: 'warm-caches' });
 * for (const cache of caches) wg.go(() => cache.warm(), { name: cache.name });
 * await wg.wait({ timeout: 5_000 }); // a WaitTimeoutError lists what is still running, and where it started
 */
export class WaitGroup {
  readonly #s: WaitGroupState;

  constructor(options: WaitGroupOptions = {}) {
    objectOption('WaitGroup', 'options', options);
    const spawnStacks =
      options.spawnStacks === undefined ? groupDefaults().spawnStacks : spawnStacksOption('WaitGroup', options.spawnStacks);
    this.#s = new WaitGroupState(
      nameOption('WaitGroup', options.name, 'waitgroup'),
      spawnStacks,
      spawnStacks === 'group' ? captureSite(WaitGroup) : undefined,
    );
  }

  /** The group's name. */
  get name(): string {
    return this.#s.name;
  }

  /** The counter: tasks added and not yet done. */
  get count(): number {
    return this.#s.counter;
  }

  /** Failures of `wg.go` tasks, distinct, in order of occurrence. */
  get errors(): Error[] {
    return this.#s.errors;
  }

  /**
   * Adds `delta` (an integer, default 1) to the counter. Throws `NegativeCounterError`, leaving the counter
   * unchanged, if it would go below zero.
   */
  add(delta = 1): void {
    // eslint-disable-next-line @typescript-eslint/unbound-method -- passed for its identity: V8 skips frames up to it
    this.#s.add(delta, WaitGroup.prototype.add);
  }

  /** `add(-1)`: one task finished. */
  done(): void {
    // eslint-disable-next-line @typescript-eslint/unbound-method -- passed for its identity (see add)
    this.#s.add(-1, WaitGroup.prototype.done);
  }

  /** Adds 1, runs `fn` in its own scope, and calls `done()` when it settles; a failure is reported and kept. */
  go(fn: () => unknown, options?: { readonly name?: string }): void {
    const s = this.#s;
    // eslint-disable-next-line @typescript-eslint/unbound-method -- passed for its identity: V8 skips frames up to it
    s.go(fn, options, s.taskSites ? captureSite(WaitGroup.prototype.go) : undefined);
  }

  /** Resolves when the counter is zero. Rejects with `WaitTimeoutError` at `timeout`, or the signal's reason. */
  wait(options?: WaitOptions): Promise<void> {
    return this.#s.wait(options);
  }
}
