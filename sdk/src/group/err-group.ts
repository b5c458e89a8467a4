import { captureSite, SITE_FRAMES, type SpawnSite } from '../scope/spawn-site.js';
import { groupDefaults, spawnStacksOption, type SpawnStacks } from './defaults.js';
import { ErrGroupState } from './err-group-state.js';
import { booleanOption, limitOption, nameOption, objectOption, signalOption, timeoutOption } from './options.js';
import type { GoOptions, TaskContext } from './task.js';

/** Options of `new ErrGroup(...)`. */
export interface ErrGroupOptions {
  /** Shown in reports, spans and errors. Default `'errgroup'`. */
  readonly name?: string;
  /** Cancels the group when it aborts. Default: the signal of the task whose code makes the group, if any. */
  readonly signal?: AbortSignal;
  /** At most this many tasks run at once; negative for no limit (the default). */
  readonly limit?: number;
  /**
   * Deadline of the whole group in ms: at the deadline the group fails with `DeadlineExceededError`. A deadline
   * that passes while no task runs or waits fails nothing, unless a task is spawned afterwards (it does not start).
   */
  readonly timeout?: number;
  /** Abort the group at the first failure (default `true`); `false` collects every failure into a `GroupError`. */
  readonly failFast?: boolean;
  /** How much of each spawn site to record; default `'task'` (or what `init({ spawnStacks })` set). */
  readonly spawnStacks?: SpawnStacks;
}

/**
 * A group of tasks that fail together, after Go's `errgroup`: the first failure aborts `signal` and is what
 * `wait()` rejects with, once every started task has settled.
 *
 * @example
 * const g = new ErrGroup({ name: 'checkout', limit: 8 });
 * for (const item of items) g.go(({ signal }) => reserve(item, { signal }), { name: `reserve ${item.id}` });
 * await g.wait();
 */
export class ErrGroup implements AsyncDisposable {
  readonly #s: ErrGroupState;

  constructor(options: ErrGroupOptions = {}) {
    objectOption('ErrGroup', 'options', options);
    const spawnStacks =
      options.spawnStacks === undefined ? groupDefaults().spawnStacks : spawnStacksOption('ErrGroup', options.spawnStacks);
    const limit = options.limit === undefined ? Infinity : limitOption('ErrGroup', options.limit);
    this.#s = new ErrGroupState({
      name: nameOption('ErrGroup', options.name, 'errgroup'),
      failFast: booleanOption('ErrGroup', 'failFast', options.failFast, true),
      spawnStacks,
      limit,
      timeout: timeoutOption('ErrGroup', options.timeout),
      signal: signalOption('ErrGroup', options.signal),
      site: spawnStacks === 'group' ? captureSite(ErrGroup) : undefined,
    });
  }

  /** The group's name. */
  get name(): string {
    return this.#s.name;
  }

  /**
   * Aborts at the first failure (fail-fast; `reason` is that error), when the parent signal aborts (its
   * reason), at the group's deadline (`DeadlineExceededError`), and when `wait()` settles.
   */
  get signal(): AbortSignal {
    return this.#s.controller.signal;
  }

  /** Every distinct failure so far, in order: task failures, optional-task failures, compensation failures. */
  get errors(): Error[] {
    return this.#s.errors;
  }

  /**
   * Runs `fn` in the group. The returned promise never rejects: it resolves when the task has started (at once
   * while under the limit), or when it was skipped because the group was aborted first. Throws
   * `GroupClosedError` once `wait()` has settled.
   */
  go<T>(fn: (ctx: TaskContext) => T | PromiseLike<T>, options?: GoOptions<Awaited<T>>): Promise<void> {
    const s = this.#s;
    let site: SpawnSite | undefined;
    if (s.taskSites) {
      // In place rather than in a helper: every frame V8 walks costs (see spawn-site.ts).
      const limit = Error.stackTraceLimit;
      try {
        Error.stackTraceLimit = SITE_FRAMES;
        try {
          site = new Error();
        } finally {
          Error.stackTraceLimit = limit;
        }
      } catch {
        site = undefined; // a locked-down or replaced Error: no spawn site
      }
    }
    return s.spawn(fn, options as GoOptions | undefined, site);
  }

  /** Starts `fn` only if a slot is free now; returns whether it started. */
  tryGo<T>(fn: (ctx: TaskContext) => T | PromiseLike<T>, options?: GoOptions<Awaited<T>>): boolean {
    const s = this.#s;
    let site: SpawnSite | undefined;
    if (s.taskSites && s.canStart()) {
      const limit = Error.stackTraceLimit;
      try {
        Error.stackTraceLimit = SITE_FRAMES;
        try {
          site = new Error();
        } finally {
          Error.stackTraceLimit = limit;
        }
      } catch {
        site = undefined;
      }
    }
    return s.trySpawn(fn, options as GoOptions | undefined, site);
  }

  /**
   * At most `n` tasks run at once; a negative `n` removes the limit. Throws `TypeError` for 0 or a
   * non-integer, and `GroupLimitError` while tasks are running or queued.
   */
  setLimit(n: number): void {
    this.#s.setLimit(n);
  }

  /**
   * Settles once every started task has settled (and, if the group failed, every compensation ran): rejects
   * with the first failure (fail-fast), a `GroupError` (collect mode), or the parent signal's reason.
   */
  wait(): Promise<void> {
    return this.#s.wait();
  }

  /** `await using g = new ErrGroup()`: aborts the group's tasks and waits for them; never rejects. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.#s.dispose();
  }
}
