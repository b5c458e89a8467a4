import { setMaxListeners } from 'node:events';
import type { Trace } from '../report/schema.js';
import type { ScopeData } from '../scope/scope-data.js';
import type { SpawnLink } from '../scope/spawn-chain.js';
import type { SpawnSite } from '../scope/spawn-site.js';
import type { ErrGroupState } from './err-group-state.js';
import { SpawnedTask } from './spawned-task.js';
import { traceTask, traceTaskEnd } from './tracing.js';

/** What a task function receives. */
export interface TaskContext {
  /** Aborts when the task should stop: the group failed or was cancelled, or the task's deadline passed. */
  readonly signal: AbortSignal;
}

/** Options of one `ErrGroup` task. */
export interface GoOptions<T = unknown> {
  /** Shown in reports, spans and errors; default: the function's name, else `task <n>`. */
  readonly name?: string;
  /** Deadline in ms: the task's signal aborts with `DeadlineExceededError` and the task counts as failed. */
  readonly timeout?: number;
  /** A degradable task: its failure is reported as a warning and neither aborts the group nor fails `wait()`. */
  readonly optional?: boolean;
  /** Undoes the task's work when the group fails (run in reverse completion order with the task's result). */
  readonly compensate?: (result: T) => unknown;
}

export type TaskFn = (ctx: TaskContext) => unknown;

export const QUEUED = 0;
export const STARTING = 1;
export const RUNNING = 2;
export const DONE = 3;
export const SKIPPED = 4;

/** What only some tasks need (a deadline, a compensation, tracing), kept off the common task object. */
export interface TaskExtras {
  ctx?: TaskContext;
  controller?: AbortController;
  timer?: NodeJS.Timeout;
  startedAt?: number;
  /** Kept for `compensate`. */
  result?: unknown;
  /** Tracing's end-of-task hook. */
  end?: (error: unknown) => void;
  /** The task's span, for the report of its failure. */
  trace?: Trace;
}

/** One task of an ErrGroup. */
export class GroupTask extends SpawnedTask {
  state = QUEUED;
  /** Next task in the group's queue. */
  next: GroupTask | undefined = undefined;
  /** Settles `go()`'s promise of a queued task. */
  startResolve: ((task: GroupTask) => void) | undefined = undefined;
  x: TaskExtras | undefined = undefined;

  constructor(
    readonly group: ErrGroupState,
    fn: TaskFn,
    readonly options: GoOptions | undefined,
    scope: ScopeData,
    parentLink: SpawnLink | undefined,
    site: SpawnSite | undefined,
    index: number,
  ) {
    super(fn, options?.name || undefined, scope, parentLink, site, index);
  }

  get kind(): 'errgroup' {
    return 'errgroup';
  }

  get groupName(): string {
    return this.group.name;
  }

  get ctx(): TaskContext {
    return this.x?.ctx ?? this.group.taskContext;
  }

  get signal(): AbortSignal {
    return this.ctx.signal;
  }

  /** Settles `go()`'s promise of a queued task: it starts, or is skipped, in its spawner's context. */
  resolveStart(): void {
    const resolve = this.startResolve!;
    this.startResolve = undefined;
    resolve(this);
  }

  /** Gives the task its own signal, aborted with a DeadlineExceededError by `onDeadline` after `timeout` ms. */
  armDeadline(timeout: number, onDeadline: (task: GroupTask) => void): void {
    const controller = new AbortController();
    // Groups made inside the task listen on this signal, as on the group's (which has no limit either).
    setMaxListeners(0, controller.signal);
    const timer = setTimeout(onDeadline, timeout, this);
    // Held (ref'd) only once the group's wait() is awaited; see TaskDeadlines.
    timer.unref();
    this.x = { ...this.x, ctx: Object.freeze({ signal: controller.signal }), controller, timer, startedAt: performance.now() };
  }

  /** Clears the deadline's timer and ends the task's trace. */
  endExtras(error: Error | undefined): void {
    const x = this.x!;
    if (x.timer !== undefined) {
      clearTimeout(x.timer);
      x.timer = undefined;
    }
    const end = x.end;
    if (end !== undefined) {
      x.end = undefined;
      traceTaskEnd(end, error);
    }
  }

  call(): unknown {
    const ins = this.group.ins;
    if (ins === undefined) return (this.fn as TaskFn)(this.ctx);
    const fn = this.fn as TaskFn;
    const ctx = this.ctx;
    return traceTask(ins, { kind: 'errgroup', name: this.group.name, task: this.name }, () => fn(ctx), (run) => {
      const x = (this.x ??= {});
      x.end = run.end;
      x.trace = run.trace;
    });
  }

  override cancelledBeforeStart(): boolean {
    if (!this.group.aborted) return false;
    this.rejected(this.group.controller.signal.reason);
    return true;
  }

  fulfilled(value: unknown): void {
    this.group.taskFulfilled(this, value);
  }

  rejected(reason: unknown): void {
    this.group.taskRejected(this, reason);
  }
}
