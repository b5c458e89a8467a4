import { GroupClosedError, GroupLimitError } from '../errors.js';
import type { SpawnSite } from '../scope/spawn-site.js';
import { checkGoOptions, limitOption } from './options.js';
import { RUNNING, SKIPPED, STARTING, type GoOptions, type GroupTask, type TaskFn } from './task.js';
import { TaskDeadlines } from './task-deadlines.js';
import { TaskQueue } from './task-queue.js';
import { runTask } from './run-task.js';

const RESOLVED: Promise<void> = Promise.resolve();

/**
 * The scheduling half of an ErrGroup: a task starts at once while fewer than `limit` run, else waits its turn
 * in order and then starts in its spawner's context; none starts once the group is aborted or finishing. What
 * a task's end means for the group (failure, abort, settling) is the subclass's.
 */
export abstract class TaskScheduler {
  abstract readonly name: string;
  limit: number;
  /** Tasks holding a slot: running, or dequeued and about to start. */
  active = 0;
  started = 0;
  canceled = 0;
  aborted = false;
  /** Every task is over and the group is compensating or settling: nothing new starts. */
  protected finishing = false;
  /** `wait()` has settled: `go` throws. */
  protected closed = false;
  protected spawned = 0;
  protected readonly queue = new TaskQueue();
  protected readonly deadlines = new TaskDeadlines();

  constructor(limit: number) {
    this.limit = limit;
  }

  spawn(fn: TaskFn, options: GoOptions | undefined, site: SpawnSite | undefined): Promise<void> {
    this.checkSpawn(fn, options, 'go');
    this.beforeSpawn();
    if (this.aborted || this.finishing) {
      this.spawned++;
      this.canceled++;
      return RESOLVED;
    }
    const task = this.newTask(fn, options, site);
    if (this.active < this.limit) {
      this.active++;
      this.start(task);
      return RESOLVED;
    }
    return this.queue.enqueue(task);
  }

  /** Whether `tryGo` would start a task now (checked before paying for its spawn site). */
  canStart(): boolean {
    return !this.aborted && !this.finishing && this.active < this.limit;
  }

  trySpawn(fn: TaskFn, options: GoOptions | undefined, site: SpawnSite | undefined): boolean {
    this.checkSpawn(fn, options, 'tryGo');
    this.beforeSpawn();
    if (!this.canStart()) return false;
    const task = this.newTask(fn, options, site);
    this.active++;
    this.start(task);
    return true;
  }

  setLimit(n: unknown): void {
    const limit = limitOption('ErrGroup.setLimit', n);
    const busy = this.active + this.queue.size;
    if (busy > 0) throw new GroupLimitError(this.name, busy);
    this.limit = limit;
  }

  start(task: GroupTask): void {
    this.started++;
    task.state = RUNNING;
    const timeout = task.options?.timeout;
    if (timeout !== undefined) this.deadlines.arm(task, timeout);
    runTask(task);
  }

  /** A queued task's turn came, in its spawner's context; it may have been cancelled meanwhile. */
  startDequeued(task: GroupTask): void {
    if (task.state !== STARTING) return;
    if (this.aborted || this.finishing) {
      task.state = SKIPPED;
      task.release();
      this.canceled++;
      this.slotFreed();
      return;
    }
    this.start(task);
  }

  /** A task gave its slot back: the next queued ones start (in their spawners' contexts) while slots are free. */
  protected slotFreed(): void {
    this.active--;
    while (this.active < this.limit && this.queue.size > 0) {
      const task = this.queue.shift()!;
      this.active++;
      task.state = STARTING;
      task.resolveStart();
    }
    if (this.active === 0 && this.queue.size === 0) this.idle();
  }

  /** Skips every queued task (the group aborted): each `go()` promise resolves, and none of them will run. */
  protected skipQueued(): void {
    for (let task = this.queue.shift(); task !== undefined; task = this.queue.shift()) {
      task.state = SKIPPED;
      task.release();
      this.canceled++;
      task.resolveStart();
    }
  }

  /** A task of this group, spawned from the current context. */
  protected abstract newTask(fn: TaskFn, options: GoOptions | undefined, site: SpawnSite | undefined): GroupTask;

  /** No task runs or waits any more. */
  protected abstract idle(): void;

  /** A task is about to be placed (its arguments are checked): the group may fail first (a deadline that passed). */
  protected abstract beforeSpawn(): void;

  private checkSpawn(fn: unknown, options: GoOptions | undefined, method: string): void {
    // The common call, go(fn), is checked without building the method's name.
    if (typeof fn !== 'function' || options !== undefined) checkGoOptions(`ErrGroup.${method}`, fn, options);
    if (this.closed) throw new GroupClosedError(this.name);
  }
}
